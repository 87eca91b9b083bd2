using System.Text.RegularExpressions;

namespace SupportConsole.Engine.Pipeline;

/// <summary>
/// Groundedness of a draft: the share of its body sentences whose content words (not stop words) are mostly found
/// in the cited section or the customer's own records. Greeting and closing are not scored.
/// </summary>
public static partial class GroundednessScorer
{
    /// <summary>Share of a sentence's content words that must appear in the sources for it to count as supported.</summary>
    public const double SupportedShare = 0.6;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
        "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
        "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
        "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor",
        "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she",
        "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they",
        "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
        "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "please", "let",
        "us", "see", "may", "might", "must", "shall", "within", "via", "per", "get", "got",
    };

    public static double Score(string body, IEnumerable<string> sources)
    {
        var supportWords = new HashSet<string>(sources.SelectMany(Words), StringComparer.Ordinal);
        var scored = 0;
        var supported = 0;
        foreach (var sentence in Sentences(body))
        {
            var content = Words(sentence).Where(w => !StopWords.Contains(w)).ToList();
            if (content.Count == 0)
            {
                continue;
            }

            scored++;
            if (content.Count(supportWords.Contains) >= SupportedShare * content.Count)
            {
                supported++;
            }
        }

        return scored == 0 ? 0 : (double)supported / scored;
    }

    public static IEnumerable<string> Sentences(string text) =>
        SentenceBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0);

    private static IEnumerable<string> Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:[.,][\p{N}]+)*")]
    private static partial Regex WordPattern();
}
