using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Channel).HasMaxLength(32);
        builder.Property(t => t.ExternalId).HasMaxLength(128);
        builder.Property(t => t.CustomerId).HasMaxLength(64);
        builder.Property(t => t.Subject).HasMaxLength(512);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(t => t.LabelledIntent).HasMaxLength(128);
        builder.Property(t => t.Version).IsConcurrencyToken();

        // Ingest is idempotent on (channel, external id): the database enforces it, also across instances.
        builder.HasIndex(t => new { t.Channel, t.ExternalId }).IsUnique();
        builder.HasIndex(t => new { t.Status, t.IngestedAt });
        builder.HasIndex(t => new { t.CustomerId, t.IngestedAt });

        builder.HasOne(t => t.Customer).WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.Decision).WithOne().HasForeignKey<Decision>(d => d.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.Draft).WithOne().HasForeignKey<Draft>(d => d.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Receipts).WithOne().HasForeignKey(r => r.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
