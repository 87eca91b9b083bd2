using System.Text.Json;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data.Seeding;

/// <summary>Writes the demo tenant into an empty database in one transaction.</summary>
public static class TenantSeeder
{
    public const string Actor = "system:seed";

    public static async Task SeedAsync(SupportConsoleDbContext db, TenantFiles tenant, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var article in tenant.Articles)
        {
            var entity = KnowledgeWriter.ToEntity(article.Parsed, article.Markdown, version: 1, now, Actor);
            db.KbArticles.Add(entity);
            db.KbArticleVersions.Add(KnowledgeWriter.VersionOf(entity, note: "demo tenant"));
        }

        db.ReplyTemplates.AddRange(tenant.Templates.Select(t => new ReplyTemplate
        {
            Intent = t.Intent,
            ArticleId = t.Article,
            SectionTitle = t.Section,
            Greeting = t.Greeting,
            Body = t.Body,
            Closing = t.Closing,
            TransactionKinds = t.TransactionKinds is { Count: > 0 } kinds ? string.Join(",", kinds) : null,
            Version = 1,
            UpdatedAt = now,
            UpdatedBy = Actor,
        }));
        db.BandPolicies.AddRange(tenant.Policies.Select(p => new BandPolicy
        {
            Intent = p.Intent,
            Band = Enum.Parse<ConfidenceBand>(p.Band, ignoreCase: true),
            SuggestThreshold = p.SuggestThreshold,
            AutoThreshold = p.AutoThreshold,
            UpdatedAt = now,
            UpdatedBy = Actor,
        }));
        db.HardRules.AddRange(tenant.HardRules.Select(r => new HardRule
        {
            Id = r.Id,
            Description = r.Description,
            Kind = r.Kind,
            KeywordsJson = JsonSerializer.Serialize(r.Keywords),
            MinimumAmount = r.MinimumAmount,
            Priority = r.ParsedPriority,
            Safeguard = r.Safeguard,
            UpdatedAt = now,
            UpdatedBy = Actor,
        }));
        db.Customers.AddRange(tenant.Customers.Select(c => new Customer
        {
            Id = c.Id,
            Name = c.Name,
            Email = c.Email,
            Phone = c.Phone,
            Plan = c.Plan,
            CardLast4 = c.CardLast4,
            AccountNumber = c.AccountNumber,
            CreatedAt = now,
            Transactions = [.. c.Transactions.Select(t => new CustomerTransaction
            {
                Id = t.Id,
                CustomerId = c.Id,
                Date = t.Date,
                Kind = t.Kind,
                Description = t.Description,
                Amount = t.Amount,
                Currency = t.Currency,
                Status = t.Status,
            })],
        }));
        db.AuditEvents.Add(new AuditEvent
        {
            At = now,
            Actor = Actor,
            Action = "tenant.seeded",
            EntityType = "tenant",
            EntityId = "demo",
            DetailsJson = JsonSerializer.Serialize(new
            {
                articles = tenant.Articles.Count,
                templates = tenant.Templates.Count,
                policies = tenant.Policies.Count,
                hardRules = tenant.HardRules.Count,
                customers = tenant.Customers.Count,
            }),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
