using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SupportConsole.Engine.Drafting;

/// <summary>A draft reply: the full text to send, the body that is scored for groundedness, and what it cites.</summary>
public sealed record DraftReply(string Text, string Body, CitedSection Cited, IReadOnlyList<string> SupportingTexts);

/// <summary>
/// Fills an intent's approved template from the cited section and the customer's records. A sentence whose slots
/// have no value (say, no matching transaction) is left out rather than sent with a hole in it.
/// </summary>
public static partial class TemplateDrafter
{
    public static DraftReply Fill(ReplyTemplateDefinition template, CitedSection section, CustomerRecords? customer)
    {
        var transaction = customer?.Transactions
            .Where(t => template.TransactionKinds.Count == 0 || template.TransactionKinds.Contains(t.Kind, StringComparer.OrdinalIgnoreCase))
            .OrderByDescending(t => t.Date)
            .FirstOrDefault();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["customer.first_name"] = customer?.FirstName,
            ["customer.plan"] = customer?.Plan,
            ["customer.card_last4"] = customer?.CardLast4,
            ["transaction.description"] = transaction?.Description,
            ["transaction.amount"] = transaction?.Amount.ToString("0.00", CultureInfo.InvariantCulture),
            ["transaction.currency"] = transaction?.Currency,
            ["transaction.date"] = transaction?.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["transaction.status"] = transaction?.Status,
            ["section.title"] = section.SectionTitle,
            ["article.title"] = section.ArticleTitle,
            ["section.body"] = section.Body.Trim(),
        };

        var greeting = FillOrNull(template.Greeting, values) ?? "Hello,";
        var body = string.Join(" ", SplitKeepingSlots(template.Body).Select(s => FillOrNull(s, values)).Where(s => s is not null)).Trim();
        var closing = FillOrNull(template.Closing, values) ?? string.Empty;
        var text = new StringBuilder()
            .Append(greeting).Append("\n\n")
            .Append(body).Append("\n\n")
            .Append(CultureInfo.InvariantCulture, $"Source: {section.ArticleTitle}, \"{section.SectionTitle}\"")
            .Append("\n\n").Append(closing)
            .ToString().TrimEnd();

        var supporting = new List<string> { section.Body, section.SectionTitle, section.ArticleTitle };
        if (customer is not null)
        {
            supporting.Add(string.Join(" ", customer.FirstName, customer.Plan, customer.CardLast4));
            supporting.AddRange(customer.Transactions.Select(t =>
                $"{t.Kind.Replace('_', ' ')} {t.Description} {t.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {t.Currency} {t.Date:yyyy-MM-dd} {t.Status}"));
        }

        return new DraftReply(text, body, section, supporting);
    }

    /// <summary>Splits a template into sentences, keeping {{section.body}} whole.</summary>
    private static IEnumerable<string> SplitKeepingSlots(string template) =>
        SentenceOrSlot().Matches(template).Select(m => m.Value.Trim()).Where(s => s.Length > 0);

    private static string? FillOrNull(string template, IReadOnlyDictionary<string, string?> values)
    {
        var missing = false;
        var filled = SlotPattern().Replace(template, match =>
        {
            var key = match.Groups[1].Value.Trim();
            if (values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                return value;
            }

            missing = true;
            return string.Empty;
        });
        return missing ? null : filled;
    }

    [GeneratedRegex(@"\{\{\s*([a-z0-9_.]+)\s*\}\}", RegexOptions.IgnoreCase)]
    private static partial Regex SlotPattern();

    [GeneratedRegex(@"\{\{\s*section\.body\s*\}\}|[^.!?\n{]*(?:\{\{[^}]*\}\}[^.!?\n{]*)*[.!?]?", RegexOptions.IgnoreCase)]
    private static partial Regex SentenceOrSlot();
}
