using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

internal sealed class InboundEmailConfiguration : IEntityTypeConfiguration<InboundEmail>
{
    public void Configure(EntityTypeBuilder<InboundEmail> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Mailbox).HasMaxLength(64);
        builder.Property(e => e.MessageId).HasMaxLength(InboundEmail.MaxMessageIdLength);
        builder.Property(e => e.ExternalId).HasMaxLength(TicketMessage.MaxIdLength);
        builder.Property(e => e.FromAddress).HasMaxLength(256);
        builder.Property(e => e.Subject).HasMaxLength(512);
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Note).HasMaxLength(1024);
        builder.HasIndex(e => new { e.Mailbox, e.MessageId }).IsUnique();
        builder.HasIndex(e => e.ExternalId);
        builder.HasIndex(e => e.TicketId);
        builder.HasIndex(e => e.TicketMessageId);
        builder.HasIndex(e => new { e.Mailbox, e.CreatedAt });
    }
}

internal sealed class TicketAttachmentConfiguration : IEntityTypeConfiguration<TicketAttachment>
{
    public void Configure(EntityTypeBuilder<TicketAttachment> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.FileName).HasMaxLength(256);
        builder.Property(a => a.ContentType).HasMaxLength(128);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.Property(a => a.RefusedReason).HasMaxLength(256);
        builder.HasIndex(a => new { a.MessageId, a.Position }).IsUnique();
        builder.HasIndex(a => a.TicketId);
    }
}
