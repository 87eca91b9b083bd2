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
        builder.Property(t => t.Priority).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.AssignedTo).HasMaxLength(256);

        // Ingest is idempotent on (channel, external id): the database enforces it, also across instances.
        builder.HasIndex(t => new { t.Channel, t.ExternalId }).IsUnique();
        builder.HasIndex(t => new { t.Status, t.IngestedAt });
        builder.HasIndex(t => new { t.CustomerId, t.IngestedAt });
        builder.HasIndex(t => new { t.Status, t.ReplyDueAt });
        builder.HasIndex(t => new { t.AssignedTo, t.Status });

        builder.HasOne(t => t.Customer).WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.Decision).WithOne().HasForeignKey<Decision>(d => d.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.Draft).WithOne().HasForeignKey<Draft>(d => d.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Receipts).WithOne().HasForeignKey(r => r.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Messages).WithOne().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Notes).WithOne().HasForeignKey(n => n.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TicketMessageConfiguration : IEntityTypeConfiguration<TicketMessage>
{
    public void Configure(EntityTypeBuilder<TicketMessage> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Direction).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Channel).HasMaxLength(32);
        builder.Property(m => m.ExternalId).HasMaxLength(TicketMessage.MaxIdLength);
        builder.Property(m => m.InReplyTo).HasMaxLength(TicketMessage.MaxIdLength);
        builder.Property(m => m.ThreadKey).HasMaxLength(TicketMessage.MaxIdLength);
        builder.Property(m => m.Author).HasMaxLength(256);
        builder.Property(m => m.Subject).HasMaxLength(512);
        builder.Property(m => m.LabelledIntent).HasMaxLength(128);
        builder.Property(m => m.HoldCode).HasMaxLength(32);
        builder.Property(m => m.HoldDetail).HasMaxLength(TicketMessage.MaxHoldDetailLength);

        // A message id names one message per channel: a repeated follow-up is found, not stored twice.
        builder.HasIndex(m => new { m.Channel, m.ExternalId }).IsUnique();
        builder.HasIndex(m => new { m.Channel, m.ThreadKey });
        builder.HasIndex(m => new { m.TicketId, m.At });
        builder.HasIndex(m => new { m.RoutingPending, m.CreatedAt });
    }
}

internal sealed class TicketNoteConfiguration : IEntityTypeConfiguration<TicketNote>
{
    public void Configure(EntityTypeBuilder<TicketNote> builder)
    {
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Author).HasMaxLength(256);
        builder.HasIndex(n => new { n.TicketId, n.CreatedAt });
    }
}
