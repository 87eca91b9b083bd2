using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data;

/// <summary>The app's database: tickets and their decisions, the tenant's knowledge and policy, operations and users.</summary>
public class SupportConsoleDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    public SupportConsoleDbContext(DbContextOptions<SupportConsoleDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's derived context (its own migrations): see <see cref="PostgresSupportConsoleDbContext"/>.</summary>
    protected SupportConsoleDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Ticket> Tickets => Set<Ticket>();

    public DbSet<Decision> Decisions => Set<Decision>();

    public DbSet<Draft> Drafts => Set<Draft>();

    public DbSet<CostReceipt> CostReceipts => Set<CostReceipt>();

    public DbSet<TicketMessage> TicketMessages => Set<TicketMessage>();

    public DbSet<TicketNote> TicketNotes => Set<TicketNote>();

    public DbSet<TicketAttachment> TicketAttachments => Set<TicketAttachment>();

    public DbSet<InboundEmail> InboundEmails => Set<InboundEmail>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<CustomerTransaction> CustomerTransactions => Set<CustomerTransaction>();

    public DbSet<KbArticle> KbArticles => Set<KbArticle>();

    public DbSet<KbSection> KbSections => Set<KbSection>();

    public DbSet<KbChunk> KbChunks => Set<KbChunk>();

    public DbSet<KbArticleVersion> KbArticleVersions => Set<KbArticleVersion>();

    public DbSet<KbDraft> KbDrafts => Set<KbDraft>();

    public DbSet<ReplyTemplate> ReplyTemplates => Set<ReplyTemplate>();

    public DbSet<BandPolicy> BandPolicies => Set<BandPolicy>();

    public DbSet<HardRule> HardRules => Set<HardRule>();

    public DbSet<Setting> Settings => Set<Setting>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<JobRun> JobRuns => Set<JobRun>();

    public DbSet<KnowledgeIndexBuild> KnowledgeIndexBuilds => Set<KnowledgeIndexBuild>();

    public DbSet<EvaluationRun> EvaluationRuns => Set<EvaluationRun>();

    public DbSet<RouterModelVersion> RouterModels => Set<RouterModelVersion>();

    public DbSet<RouterModelFile> RouterModelFiles => Set<RouterModelFile>();

    public DbSet<SecondOpinionReview> SecondOpinionReviews => Set<SecondOpinionReview>();

    // Cost reporting: daily rollups, budgets and their alerts (SupportConsole.Reporting).
    public DbSet<DailyStageCost> DailyStageCosts => Set<DailyStageCost>();

    public DbSet<DailyIntentStats> DailyIntentStats => Set<DailyIntentStats>();

    public DbSet<DailyReasonCount> DailyReasonCounts => Set<DailyReasonCount>();

    public DbSet<DailyCustomerStats> DailyCustomerStats => Set<DailyCustomerStats>();

    public DbSet<DailyResponseTime> DailyResponseTimes => Set<DailyResponseTime>();

    public DbSet<CustomerBudget> CustomerBudgets => Set<CustomerBudget>();

    public DbSet<BudgetAlert> BudgetAlerts => Set<BudgetAlert>();

    /// <summary>ASP.NET Core data-protection keys (cookies, antiforgery tokens): in the app's database, so every instance shares them.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SupportConsoleDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            // SQLite has no date type; UTC ticks as integers sort and compare correctly in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
