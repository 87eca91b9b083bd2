using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Kind).HasMaxLength(32);
        builder.Property(r => r.WorkKey).HasMaxLength(128);
        builder.Property(r => r.ActiveKey).HasMaxLength(128);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ProgressMessage).HasMaxLength(512);
        builder.Property(r => r.HangfireJobId).HasMaxLength(64);
        builder.Property(r => r.TriggeredBy).HasMaxLength(128);
        builder.Property(r => r.CancelRequestedBy).HasMaxLength(128);
        builder.Property(r => r.Error).HasMaxLength(2048);

        // NULLs are distinct in a unique index (SQLite and PostgreSQL alike): ended runs never collide.
        builder.HasIndex(r => new { r.Kind, r.ActiveKey }).IsUnique();
        builder.HasIndex(r => new { r.Kind, r.CreatedAt });
        builder.HasIndex(r => r.State);
    }
}

internal sealed class KnowledgeIndexBuildConfiguration : IEntityTypeConfiguration<KnowledgeIndexBuild>
{
    public void Configure(EntityTypeBuilder<KnowledgeIndexBuild> builder)
    {
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.IndexVersion).HasMaxLength(96);
        builder.Property(b => b.EmbedderVersion).HasMaxLength(96);
        builder.Property(b => b.BuiltBy).HasMaxLength(128);
        builder.HasIndex(b => b.BuiltAt);
    }
}

internal sealed class EvaluationRunConfiguration : IEntityTypeConfiguration<EvaluationRun>
{
    public void Configure(EntityTypeBuilder<EvaluationRun> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Trigger).HasMaxLength(128);
        builder.Property(r => r.RouterVersion).HasMaxLength(96);
        builder.Property(r => r.KnowledgeIndexVersion).HasMaxLength(96);
        builder.Property(r => r.AlertReason).HasMaxLength(1024);
        builder.HasIndex(r => r.FinishedAt);
    }
}

internal sealed class RouterModelVersionConfiguration : IEntityTypeConfiguration<RouterModelVersion>
{
    public void Configure(EntityTypeBuilder<RouterModelVersion> builder)
    {
        builder.HasKey(m => m.VersionId);
        builder.Property(m => m.VersionId).HasMaxLength(96);
        builder.Property(m => m.Origin).HasMaxLength(16);
        builder.Property(m => m.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.OnnxSha256).HasMaxLength(64);
        builder.Property(m => m.TrainingDataHash).HasMaxLength(96);
        builder.Property(m => m.DecisionReason).HasMaxLength(2048);
        builder.Property(m => m.ActivatedBy).HasMaxLength(128);
        builder.HasIndex(m => m.CreatedAt);
    }
}

internal sealed class RouterModelFileConfiguration : IEntityTypeConfiguration<RouterModelFile>
{
    public void Configure(EntityTypeBuilder<RouterModelFile> builder)
    {
        builder.HasKey(f => f.VersionId);
        builder.Property(f => f.VersionId).HasMaxLength(96);
        builder.HasOne<RouterModelVersion>().WithOne().HasForeignKey<RouterModelFile>(f => f.VersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SecondOpinionReviewConfiguration : IEntityTypeConfiguration<SecondOpinionReview>
{
    public void Configure(EntityTypeBuilder<SecondOpinionReview> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Verdict).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.CorrectIntent).HasMaxLength(128);
        builder.Property(r => r.Note).HasMaxLength(1024);
        builder.Property(r => r.ReviewedBy).HasMaxLength(128);
        builder.Property(r => r.ReviewedAt).IsConcurrencyToken();
        builder.HasIndex(r => r.TicketId).IsUnique();
        builder.HasIndex(r => new { r.ReviewedAt, r.QueuedAt });
        builder.HasOne<Ticket>().WithMany().HasForeignKey(r => r.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
