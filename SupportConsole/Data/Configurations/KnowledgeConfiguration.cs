using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

internal sealed class KbArticleConfiguration : IEntityTypeConfiguration<KbArticle>
{
    public void Configure(EntityTypeBuilder<KbArticle> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(128);
        builder.Property(a => a.Title).HasMaxLength(256);
        builder.Property(a => a.Intents).HasMaxLength(2048);
        builder.Property(a => a.UpdatedBy).HasMaxLength(128);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasMany(a => a.Sections).WithOne().HasForeignKey(s => s.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KbSectionConfiguration : IEntityTypeConfiguration<KbSection>
{
    public void Configure(EntityTypeBuilder<KbSection> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.ArticleId).HasMaxLength(128);
        builder.Property(s => s.Title).HasMaxLength(256);
        builder.HasIndex(s => new { s.ArticleId, s.Order }).IsUnique();
    }
}

internal sealed class KbChunkConfiguration : IEntityTypeConfiguration<KbChunk>
{
    public void Configure(EntityTypeBuilder<KbChunk> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.ChunkId).HasMaxLength(256);
        builder.Property(c => c.IndexVersion).HasMaxLength(96);
        builder.Property(c => c.ArticleId).HasMaxLength(128);
        builder.Property(c => c.SectionTitle).HasMaxLength(256);
        builder.HasIndex(c => new { c.IndexVersion, c.ChunkId }).IsUnique();
    }
}

internal sealed class ReplyTemplateConfiguration : IEntityTypeConfiguration<ReplyTemplate>
{
    public void Configure(EntityTypeBuilder<ReplyTemplate> builder)
    {
        builder.HasKey(t => t.Intent);
        builder.Property(t => t.Intent).HasMaxLength(128);
        builder.Property(t => t.ArticleId).HasMaxLength(128);
        builder.Property(t => t.SectionTitle).HasMaxLength(256);
        builder.Property(t => t.TransactionKinds).HasMaxLength(256);
        builder.Property(t => t.UpdatedBy).HasMaxLength(128);
        builder.Property(t => t.Version).IsConcurrencyToken();
    }
}

internal sealed class KbArticleVersionConfiguration : IEntityTypeConfiguration<KbArticleVersion>
{
    public void Configure(EntityTypeBuilder<KbArticleVersion> builder)
    {
        builder.HasKey(v => new { v.ArticleId, v.Version });
        builder.Property(v => v.ArticleId).HasMaxLength(128);
        builder.Property(v => v.Title).HasMaxLength(256);
        builder.Property(v => v.PublishedBy).HasMaxLength(128);
        builder.Property(v => v.Note).HasMaxLength(512);
    }
}

internal sealed class KbDraftConfiguration : IEntityTypeConfiguration<KbDraft>
{
    public void Configure(EntityTypeBuilder<KbDraft> builder)
    {
        builder.HasKey(d => d.ArticleId);
        builder.Property(d => d.ArticleId).HasMaxLength(128);
        builder.Property(d => d.UpdatedBy).HasMaxLength(128);
    }
}
