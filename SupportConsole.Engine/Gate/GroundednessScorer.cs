using System.Globalization;

namespace SupportConsole.Engine.Gate;

/// <summary>
/// Groundedness of a draft: the share of its body sentences whose content words (not stop words) are mostly found
/// in the cited section or the customer's own records. Greeting and closing are not scored.
/// </summary>
/// <remarks>
/// Runs for every drafted ticket, so it scans the text in place instead of through regular expressions and LINQ:
/// a word is a run of Unicode letters and numbers, optionally followed by groups of <c>.</c> or <c>,</c> and digits
/// ("1,200.50" is one word), matched on the lower-cased text; a sentence ends at whitespace after <c>.</c>, <c>!</c>
/// or <c>?</c>, or at a line break. Only the source words are allocated; the draft's words are looked up as spans.
/// </remarks>
public static class GroundednessScorer
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

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StopWordSpans = StopWords.GetAlternateLookup<ReadOnlySpan<char>>();

    public static double Score(string body, IEnumerable<string> sources)
    {
        var supportWords = new HashSet<string>(StringComparer.Ordinal);
        var support = supportWords.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var source in sources)
        {
            var text = source.ToLowerInvariant();
            for (var position = 0; TryNextWord(text, ref position, out var word);)
            {
                support.Add(word);
            }
        }

        var lowered = body.ToLowerInvariant();
        var scored = 0;
        var supported = 0;
        for (var position = 0; TryNextSentence(lowered, ref position, out var sentence);)
        {
            var content = 0;
            var found = 0;
            for (var at = 0; TryNextWord(sentence, ref at, out var word);)
            {
                if (StopWordSpans.Contains(word))
                {
                    continue;
                }

                content++;
                if (support.Contains(word))
                {
                    found++;
                }
            }

            if (content == 0)
            {
                continue;
            }

            scored++;
            if (found >= SupportedShare * content)
            {
                supported++;
            }
        }

        return scored == 0 ? 0 : (double)supported / scored;
    }

    /// <summary>The text's sentences, trimmed, empty ones left out.</summary>
    public static IEnumerable<string> Sentences(string text)
    {
        var sentences = new List<string>();
        for (var position = 0; TryNextSentence(text, ref position, out var sentence);)
        {
            if (sentence.Trim() is { Length: > 0 } trimmed)
            {
                sentences.Add(trimmed.ToString());
            }
        }

        return sentences;
    }

    /// <summary>
    /// The sentence from <paramref name="position"/> up to whitespace following <c>.</c>, <c>!</c> or <c>?</c>, or up to a
    /// run of line breaks; <paramref name="position"/> moves past the break. False once the text is used up.
    /// </summary>
    private static bool TryNextSentence(ReadOnlySpan<char> text, ref int position, out ReadOnlySpan<char> sentence)
    {
        var start = position;
        if (start > text.Length)
        {
            sentence = default;
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            var end = i;
            if (i > 0 && text[i - 1] is '.' or '!' or '?' && char.IsWhiteSpace(text[i]))
            {
                while (end < text.Length && char.IsWhiteSpace(text[end]))
                {
                    end++;
                }
            }
            else
            {
                while (end < text.Length && text[end] == '\n')
                {
                    end++;
                }
            }

            if (end > i)
            {
                sentence = text[start..i];
                position = end;
                return true;
            }
        }

        // The last sentence runs to the end of the text (it may be empty, as after a final break).
        sentence = text[start..];
        position = text.Length + 1;
        return true;
    }

    /// <summary>The next word at or after <paramref name="position"/>, which moves past it; false when there is none.</summary>
    private static bool TryNextWord(ReadOnlySpan<char> text, ref int position, out ReadOnlySpan<char> word)
    {
        var i = position;
        while (i < text.Length && !IsLetterOrNumber(text[i]))
        {
            i++;
        }

        var start = i;
        while (i < text.Length && IsLetterOrNumber(text[i]))
        {
            i++;
        }

        if (i > start)
        {
            // Digit groups after a separator belong to the word: "1,200.50", "3.5".
            while (i + 1 < text.Length && text[i] is '.' or ',' && IsNumber(text[i + 1]))
            {
                i += 2;
                while (i < text.Length && IsNumber(text[i]))
                {
                    i++;
                }
            }
        }

        word = text[start..i];
        position = i;
        return word.Length > 0;
    }

    /// <summary>Unicode categories L* and N* (what <c>[\p{L}\p{N}]</c> matches).</summary>
    private static bool IsLetterOrNumber(char c) =>
        char.IsAsciiLetterOrDigit(c)
        || (c > '\x7f' && char.GetUnicodeCategory(c) is <= UnicodeCategory.OtherLetter or (>= UnicodeCategory.DecimalDigitNumber and <= UnicodeCategory.OtherNumber));

    /// <summary>Unicode categories N* (what <c>\p{N}</c> matches).</summary>
    private static bool IsNumber(char c) =>
        char.IsAsciiDigit(c) || (c > '\x7f' && char.GetUnicodeCategory(c) is >= UnicodeCategory.DecimalDigitNumber and <= UnicodeCategory.OtherNumber);
}
