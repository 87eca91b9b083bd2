using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

internal sealed class DraftConfiguration : IEntityTypeConfiguration<Draft>
{
    public void Configure(EntityTypeBuilder<Draft> builder)
    {
        builder.HasKey(d => d.Id);
        builder.HasIndex(d => d.TicketId).IsUnique().HasFilter(Superseded.NotSuperseded);
        builder.HasQueryFilter(d => d.SupersededAt == null);
        builder.Property(d => d.Origin).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.CitedArticleId).HasMaxLength(128);
        builder.Property(d => d.CitedSection).HasMaxLength(256);
        builder.Property(d => d.Model).HasMaxLength(128);
        builder.Property(d => d.EditedBy).HasMaxLength(128);
        builder.Property(d => d.Review).HasConversion<string>().HasMaxLength(16);
    }
}
