using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.HasKey(d => d.Id);

        // One current decision per ticket; a follow-up's routing supersedes the one before, which stays for the history.
        // Queries see current decisions only; the history asks for the others with IgnoreQueryFilters.
        builder.HasIndex(d => d.TicketId).IsUnique().HasFilter(Superseded.NotSuperseded);
        builder.HasIndex(d => new { d.TicketId, d.CreatedAt });
        builder.HasQueryFilter(d => d.SupersededAt == null);
        builder.Property(d => d.RouterVersion).HasMaxLength(96);
        builder.Property(d => d.Intent).HasMaxLength(128);
        builder.Property(d => d.Band).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.PolicyBand).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.RetrievalIndexVersion).HasMaxLength(96);
        builder.Property(d => d.EmbedderVersion).HasMaxLength(96);
        builder.HasIndex(d => new { d.Band, d.CreatedAt });
    }
}

/// <summary>The filter of the "one current row per ticket" indexes (the same SQL on SQLite and PostgreSQL).</summary>
internal static class Superseded
{
    public const string NotSuperseded = "\"SupersededAt\" IS NULL";
}
