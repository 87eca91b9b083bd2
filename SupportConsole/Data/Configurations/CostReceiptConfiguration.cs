using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

internal sealed class CostReceiptConfiguration : IEntityTypeConfiguration<CostReceipt>
{
    public void Configure(EntityTypeBuilder<CostReceipt> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.CustomerId).HasMaxLength(64);
        builder.Property(r => r.Stage).HasMaxLength(16);
        builder.Property(r => r.Model).HasMaxLength(128);
        builder.Property(r => r.ModelVersion).HasMaxLength(96);
        builder.HasIndex(r => r.TicketId);
        builder.HasIndex(r => new { r.CreatedAt, r.Stage });
        builder.HasIndex(r => new { r.CustomerId, r.CreatedAt });
    }
}
