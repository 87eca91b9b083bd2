using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.HasKey(d => d.Id);
        builder.HasIndex(d => d.TicketId).IsUnique();
        builder.Property(d => d.RouterVersion).HasMaxLength(96);
        builder.Property(d => d.Intent).HasMaxLength(128);
        builder.Property(d => d.Band).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.PolicyBand).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.RetrievalIndexVersion).HasMaxLength(96);
        builder.Property(d => d.EmbedderVersion).HasMaxLength(96);
        builder.HasIndex(d => new { d.Band, d.CreatedAt });
    }
}
