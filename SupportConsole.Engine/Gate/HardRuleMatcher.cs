using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace SupportConsole.Engine.Gate;

/// <summary>Finds the hard rules a ticket triggers: phrases on word boundaries, and amounts at or above a minimum.</summary>
public static partial class HardRuleMatcher
{
    /// <summary>
    /// Every keyword of a rule list, for one vectorised search that tells most tickets (which mention none) apart
    /// before any phrase is looked for on its own. Per list: a policy snapshot's list never changes.
    /// </summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<HardRuleDefinition>, SearchValues<string>> AnyKeyword = [];

    public static IReadOnlyList<HardRuleDefinition> Matches(string text, IReadOnlyList<HardRuleDefinition> rules)
    {
        if (rules.Count == 0 || !text.AsSpan().ContainsAny(AnyKeyword.GetValue(rules, KeywordsOf)))
        {
            return [];
        }

        var fired = new List<HardRuleDefinition>();
        decimal? largestAmount = null;
        foreach (var rule in rules)
        {
            if (!rule.Keywords.Any(keyword => ContainsPhrase(text, keyword)))
            {
                continue;
            }

            if (rule.MinimumAmount is { } minimum)
            {
                largestAmount ??= Amounts(text).DefaultIfEmpty(0m).Max();
                if (largestAmount < minimum)
                {
                    continue;
                }
            }

            fired.Add(rule);
        }

        return fired;
    }

    private static SearchValues<string> KeywordsOf(IReadOnlyList<HardRuleDefinition> rules) =>
        SearchValues.Create([.. rules.SelectMany(r => r.Keywords).Where(k => !string.IsNullOrWhiteSpace(k)).Distinct(StringComparer.OrdinalIgnoreCase)],
            StringComparison.OrdinalIgnoreCase);

    /// <summary>Money amounts written with a currency symbol or code: £250, $1,200.50, 300 EUR, 40 pounds.</summary>
    public static IEnumerable<decimal> Amounts(string text)
    {
        foreach (Match match in AmountPattern().Matches(text))
        {
            var digits = (match.Groups["before"].Success ? match.Groups["before"] : match.Groups["after"]).Value.Replace(",", string.Empty);
            if (decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                yield return amount;
            }
        }
    }

    public static bool ContainsPhrase(string text, string phrase)
    {
        if (string.IsNullOrWhiteSpace(phrase))
        {
            return false;
        }

        var start = 0;
        while ((start = text.IndexOf(phrase, start, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = start + phrase.Length;
            var boundaryBefore = start == 0 || !char.IsLetterOrDigit(text[start - 1]);
            var boundaryAfter = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (boundaryBefore && boundaryAfter)
            {
                return true;
            }

            start++;
        }

        return false;
    }

    [GeneratedRegex(@"(?:[£$€]\s?(?<before>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?))|(?:(?<after>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\s?(?:gbp|eur|usd|pounds?|euros?|dollars?|quid)\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();
}
