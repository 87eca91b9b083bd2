using System.Text.Json;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Data.Seeding;

/// <summary>The demo tenant's files (docs/tenant-format.md), read and checked.</summary>
public sealed record TenantFiles(
    IReadOnlyList<TenantFiles.ArticleFile> Articles,
    IReadOnlyList<TenantFiles.TemplateFile> Templates,
    IReadOnlyList<TenantFiles.PolicyFile> Policies,
    IReadOnlyList<TenantFiles.HardRuleFile> HardRules,
    IReadOnlyList<TenantFiles.CustomerFile> Customers)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TenantFiles Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DataFileException($"{directory}: tenant folder not found");
        }

        var kb = Path.Combine(directory, "kb");
        if (!Directory.Exists(kb))
        {
            throw new DataFileException($"{kb}: knowledge-base folder not found");
        }

        var articles = Directory.GetFiles(kb, "*.md").Order(StringComparer.Ordinal).Select(path =>
        {
            var markdown = File.ReadAllText(path);
            return new ArticleFile(Engine.Retrieval.KbMarkdown.Parse(Path.GetFileNameWithoutExtension(path), markdown), markdown);
        }).ToList();
        var files = new TenantFiles(
            articles,
            Read<List<TemplateFile>>(directory, "reply-templates.json"),
            Read<List<PolicyFile>>(directory, "band-policy.json"),
            ReadHardRules(Path.Combine(directory, "hard-rules.json")),
            Read<List<CustomerFile>>(directory, "customers.json"));
        files.Check(directory);
        return files;
    }

    private void Check(string directory)
    {
        var sections = Articles.SelectMany(a => a.Parsed.Sections.Select(s => (a.Parsed.Id, s.Title))).ToHashSet();
        foreach (var template in Templates)
        {
            if (!sections.Contains((template.Article, template.Section)))
            {
                throw new DataFileException(
                    $"{directory}/reply-templates.json: template for {template.Intent} cites {template.Article} \"{template.Section}\", which does not exist");
            }
        }

        foreach (var policy in Policies)
        {
            if (policy.Band is not ("auto" or "suggest" or "escalate"))
            {
                throw new DataFileException($"{directory}/band-policy.json: intent {policy.Intent} has unknown band '{policy.Band}'");
            }
        }
    }

    private static T Read<T>(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            throw new DataFileException($"{path}: file not found");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
                ?? throw new DataFileException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new DataFileException($"{path}: {e.Message}", e);
        }
    }

    public sealed record ArticleFile(Engine.Retrieval.KbArticle Parsed, string Markdown);

    public sealed record TemplateFile(string Intent, string Article, string Section, string Greeting, string Body, string Closing,
        IReadOnlyList<string>? TransactionKinds);

    public sealed record PolicyFile(string Intent, string Band, double SuggestThreshold, double? AutoThreshold);

    public sealed record HardRuleFile(string Id, string Description, string Kind, IReadOnlyList<string> Keywords, decimal? MinimumAmount,
        string? Priority = null, bool Safeguard = false)
    {
        public Engine.Gate.TicketPriority ParsedPriority => Priority is null
            ? Engine.Gate.TicketPriority.Normal
            : Enum.TryParse<Engine.Gate.TicketPriority>(Priority, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new DataFileException($"hard rule {Id}: unknown priority '{Priority}' (low, normal, high or urgent)");
    }

    /// <summary>The hard rules of one file (the tenant's, or the built-in safeguards), checked.</summary>
    public static IReadOnlyList<HardRuleFile> ReadHardRules(string path)
    {
        var rules = Read<List<HardRuleFile>>(Path.GetDirectoryName(path)!, Path.GetFileName(path));
        foreach (var rule in rules)
        {
            _ = rule.ParsedPriority;
            if (rule.Keywords.Count == 0)
            {
                throw new DataFileException($"{path}: hard rule {rule.Id} has no keywords");
            }
        }

        return rules;
    }

    public sealed record CustomerFile(string Id, string? Name, string? Email, string? Phone, string? Plan, string? CardLast4,
        string? AccountNumber, IReadOnlyList<TransactionFile> Transactions);

    public sealed record TransactionFile(string Id, DateOnly Date, string Kind, string Description, decimal Amount, string Currency, string Status);
}
