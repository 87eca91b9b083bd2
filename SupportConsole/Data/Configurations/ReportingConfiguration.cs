using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

// The rollups' keys start with the day, so a date-range filter reads one index range; the additive upsert
// (RollupWriter) conflicts on exactly these keys.

internal sealed class DailyStageCostConfiguration : IEntityTypeConfiguration<DailyStageCost>
{
    public void Configure(EntityTypeBuilder<DailyStageCost> builder)
    {
        builder.HasKey(r => new { r.Day, r.Channel, r.Stage, r.Model, r.IsLocal });
        builder.Property(r => r.Channel).HasMaxLength(32);
        builder.Property(r => r.Stage).HasMaxLength(16);
        builder.Property(r => r.Model).HasMaxLength(128);
    }
}

internal sealed class DailyIntentStatsConfiguration : IEntityTypeConfiguration<DailyIntentStats>
{
    public void Configure(EntityTypeBuilder<DailyIntentStats> builder)
    {
        builder.HasKey(r => new { r.Day, r.Channel, r.Intent, r.Band });
        builder.Property(r => r.Channel).HasMaxLength(32);
        builder.Property(r => r.Intent).HasMaxLength(128);
        builder.Property(r => r.Band).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class DailyReasonCountConfiguration : IEntityTypeConfiguration<DailyReasonCount>
{
    public void Configure(EntityTypeBuilder<DailyReasonCount> builder)
    {
        builder.HasKey(r => new { r.Day, r.Channel, r.Band, r.Code });
        builder.Property(r => r.Channel).HasMaxLength(32);
        builder.Property(r => r.Band).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Code).HasMaxLength(96);
    }
}

internal sealed class DailyCustomerStatsConfiguration : IEntityTypeConfiguration<DailyCustomerStats>
{
    public void Configure(EntityTypeBuilder<DailyCustomerStats> builder)
    {
        builder.HasKey(r => new { r.Day, r.Channel, r.CustomerId });
        builder.Property(r => r.Channel).HasMaxLength(32);
        builder.Property(r => r.CustomerId).HasMaxLength(64);

        // Month-to-date spend of one customer (budgets) and the drill-down read this one.
        builder.HasIndex(r => new { r.CustomerId, r.Day });
    }
}

internal sealed class DailyResponseTimeConfiguration : IEntityTypeConfiguration<DailyResponseTime>
{
    public void Configure(EntityTypeBuilder<DailyResponseTime> builder)
    {
        builder.HasKey(r => new { r.Day, r.Channel, r.Band, r.Bucket });
        builder.Property(r => r.Channel).HasMaxLength(32);
        builder.Property(r => r.Band).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class CustomerBudgetConfiguration : IEntityTypeConfiguration<CustomerBudget>
{
    public void Configure(EntityTypeBuilder<CustomerBudget> builder)
    {
        builder.HasKey(b => b.CustomerId);
        builder.Property(b => b.CustomerId).HasMaxLength(64);
        builder.Property(b => b.MonthlyBudgetUsd).HasPrecision(18, 6);
        builder.Property(b => b.OverBudgetAction).HasConversion<string>().HasMaxLength(24);
        builder.Property(b => b.UpdatedBy).HasMaxLength(128);
        builder.HasOne<Customer>().WithOne().HasForeignKey<CustomerBudget>(b => b.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BudgetAlertConfiguration : IEntityTypeConfiguration<BudgetAlert>
{
    public void Configure(EntityTypeBuilder<BudgetAlert> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.CustomerId).HasMaxLength(64);
        builder.Property(a => a.Month).HasMaxLength(7);
        builder.Property(a => a.Level).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.BudgetUsd).HasPrecision(18, 6);
        builder.Property(a => a.OverBudgetAction).HasConversion<string>().HasMaxLength(24);

        // Once per customer, month and level: the insert is ON CONFLICT DO NOTHING on this index.
        builder.HasIndex(a => new { a.CustomerId, a.Month, a.Level }).IsUnique();
        builder.HasIndex(a => a.CreatedAt);
    }
}
