using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(64);
        builder.Property(c => c.Name).HasMaxLength(256);
        builder.Property(c => c.Email).HasMaxLength(256);
        builder.Property(c => c.Phone).HasMaxLength(64);
        builder.Property(c => c.Plan).HasMaxLength(32);
        builder.Property(c => c.CardLast4).HasMaxLength(4);
        builder.Property(c => c.AccountNumber).HasMaxLength(64);
        // The email channel finds a customer by address.
        builder.HasIndex(c => c.Email);
        builder.HasMany(c => c.Transactions).WithOne().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomerTransactionConfiguration : IEntityTypeConfiguration<CustomerTransaction>
{
    public void Configure(EntityTypeBuilder<CustomerTransaction> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(64);
        builder.Property(t => t.CustomerId).HasMaxLength(64);
        builder.Property(t => t.Kind).HasMaxLength(32);
        builder.Property(t => t.Description).HasMaxLength(256);
        builder.Property(t => t.Currency).HasMaxLength(3);
        builder.Property(t => t.Status).HasMaxLength(16);
        builder.Property(t => t.Amount).HasPrecision(18, 2);
        builder.HasIndex(t => new { t.CustomerId, t.Date });
    }
}
