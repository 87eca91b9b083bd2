using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Configurations;

internal sealed class BandPolicyConfiguration : IEntityTypeConfiguration<BandPolicy>
{
    public void Configure(EntityTypeBuilder<BandPolicy> builder)
    {
        builder.HasKey(p => p.Intent);
        builder.Property(p => p.Intent).HasMaxLength(128);
        builder.Property(p => p.Band).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.UpdatedBy).HasMaxLength(128);
    }
}

internal sealed class HardRuleConfiguration : IEntityTypeConfiguration<HardRule>
{
    public void Configure(EntityTypeBuilder<HardRule> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(64);
        builder.Property(r => r.Description).HasMaxLength(512);
        builder.Property(r => r.Kind).HasMaxLength(16);
        builder.Property(r => r.MinimumAmount).HasPrecision(18, 2);
        builder.Property(r => r.Priority).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.UpdatedBy).HasMaxLength(128);
    }
}

internal sealed class SettingConfiguration : IEntityTypeConfiguration<Setting>
{
    public void Configure(EntityTypeBuilder<Setting> builder)
    {
        builder.HasKey(s => s.Key);
        builder.Property(s => s.Key).HasMaxLength(128);
        builder.Property(s => s.Value).HasMaxLength(1024);
        builder.Property(s => s.UpdatedBy).HasMaxLength(128);
        builder.Property(s => s.Reason).HasMaxLength(1024);
    }
}
