using System.Globalization;
using System.Text;

namespace SupportConsole.Engine.Routing;

/// <summary>How ticket text becomes n-gram features; stored in the model card and mirrored by the ONNX graph.</summary>
public sealed record FeatureSettings
{
    /// <summary>Longest word n-gram (1 = unigrams only).</summary>
    public int WordNgramMax { get; init; } = 2;

    /// <summary>Shortest character n-gram taken inside a space-padded word.</summary>
    public int CharNgramMin { get; init; } = 2;

    /// <summary>Longest character n-gram taken inside a space-padded word.</summary>
    public int CharNgramMax { get; init; } = 5;

    /// <summary>An n-gram must occur in at least this many training tickets to enter the vocabulary.</summary>
    public int MinDocumentFrequency { get; init; } = 2;

    /// <summary>Relative weight of the word block against the character block after each is L2-normalised.</summary>
    public float WordBlockWeight { get; init; } = 1f;

    public void Validate()
    {
        if (WordNgramMax is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(WordNgramMax), WordNgramMax, "must be 1, 2 or 3");
        }

        // Single characters are excluded: a lone word boundary would count differently in the graph, which
        // sees runs of punctuation as runs of boundaries.
        if (CharNgramMin < 2 || CharNgramMax < CharNgramMin || CharNgramMax > 6)
        {
            throw new ArgumentOutOfRangeException(nameof(CharNgramMax), $"character n-grams {CharNgramMin}..{CharNgramMax} are out of range (2..6)");
        }

        if (MinDocumentFrequency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinDocumentFrequency), MinDocumentFrequency, "must be at least 1");
        }
    }
}

/// <summary>
/// The C# reference of the router's featurisation: lower-case, split into words (runs of Unicode letters and
/// digits), then word n-grams and character n-grams of each space-padded word. The ONNX graph written by
/// <see cref="Onnx.RouterGraphWriter"/> computes exactly the same n-grams; the parity tests hold the two together.
/// </summary>
public static class TicketTextFeaturizer
{
    /// <summary>Joins the words of a word n-gram; never part of a word, so n-grams cannot collide with words.</summary>
    public const string WordSeparator = " ";

    /// <summary>Pads a word on both sides before its character n-grams are taken (marks word starts and ends).</summary>
    public const string WordBoundary = " ";

    /// <summary>
    /// Lower-cases one code point at a time the way ONNX Runtime's StringNormalizer does on Linux (glibc
    /// <c>towlower</c>): .NET's invariant mapping, except for the dotted capital I (glibc maps it to 'i') and the
    /// letters of Unicode 16, which glibc does not know yet.
    /// </summary>
    public static string ToLower(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            builder.Append(LowerRune(rune));
        }

        return builder.ToString();
    }

    /// <summary>Splits lower-cased text into words: maximal runs of Unicode letters and numbers.</summary>
    public static List<string> Words(string lowerText)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in lowerText.EnumerateRunes())
        {
            if (IsWordCharacter(rune))
            {
                current.Append(rune.ToString());
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>Word n-grams of orders 1..<paramref name="maxOrder"/>, in graph order (all unigrams, then bigrams...).</summary>
    public static IEnumerable<string> WordNgrams(IReadOnlyList<string> words, int maxOrder)
    {
        for (var order = 1; order <= maxOrder; order++)
        {
            for (var start = 0; start + order <= words.Count; start++)
            {
                yield return order == 1 ? words[start] : string.Join(WordSeparator, words.Skip(start).Take(order));
            }
        }
    }

    /// <summary>Character n-grams of each word padded with <see cref="WordBoundary"/> on both sides.</summary>
    public static IEnumerable<string> CharNgrams(IReadOnlyList<string> words, int minOrder, int maxOrder)
    {
        foreach (var word in words)
        {
            var runes = (WordBoundary + word + WordBoundary).EnumerateRunes().Select(r => r.ToString()).ToArray();
            for (var order = minOrder; order <= maxOrder; order++)
            {
                for (var start = 0; start + order <= runes.Length; start++)
                {
                    yield return order == 1 ? runes[start] : string.Concat(runes.AsSpan(start, order));
                }
            }
        }
    }

    /// <summary>The word and character n-grams of one ticket, with repeats (counts matter).</summary>
    public static (List<string> WordGrams, List<string> CharGrams) Ngrams(string text, FeatureSettings settings)
    {
        var words = Words(ToLower(text));
        return ([.. WordNgrams(words, settings.WordNgramMax)],
            [.. CharNgrams(words, settings.CharNgramMin, settings.CharNgramMax)]);
    }

    /// <summary>Letters and numbers of any script (Unicode categories L* and N*), as RE2's [\p{L}\p{N}].</summary>
    public static bool IsWordCharacter(Rune rune) => !IsUnicode16Addition(rune.Value) && Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        _ => false,
    };

    private static Rune LowerRune(Rune rune) => rune.Value switch
    {
        0x0130 => new Rune('i'),
        _ when IsUnicode16Addition(rune.Value) => rune,
        _ => Rune.ToLowerInvariant(rune),
    };

    /// <summary>
    /// Letters and digits assigned in Unicode 16. .NET 10 knows them; the RE2 tables in ONNX Runtime and glibc 2.36
    /// do not, so the graph treats them as unassigned (not word characters, no case). The featuriser does the same;
    /// the code-point sweep tests find any new disagreement.
    /// </summary>
    private static readonly (int First, int Last)[] Unicode16Additions =
    [
        (0x1C89, 0x1C8A), (0xA7CB, 0xA7CD), (0xA7DA, 0xA7DC), (0x105C0, 0x105F3), (0x10D40, 0x10D65), (0x10D6F, 0x10D85),
        (0x10EC2, 0x10EC4), (0x11380, 0x11389), (0x1138B, 0x1138B), (0x1138E, 0x1138E), (0x11390, 0x113B5), (0x113B7, 0x113B7),
        (0x113D1, 0x113D1), (0x113D3, 0x113D3), (0x116D0, 0x116E3), (0x11BC0, 0x11BE0), (0x11BF0, 0x11BF9), (0x13460, 0x143FA),
        (0x16100, 0x1611D), (0x16130, 0x16139), (0x16D40, 0x16D6C), (0x16D70, 0x16D79), (0x18CFF, 0x18CFF), (0x1CCF0, 0x1CCF9),
        (0x1E5D0, 0x1E5ED), (0x1E5F0, 0x1E5FA),
    ];

    private static bool IsUnicode16Addition(int codePoint)
    {
        int low = 0, high = Unicode16Additions.Length - 1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            var (first, last) = Unicode16Additions[mid];
            if (codePoint < first)
            {
                high = mid - 1;
            }
            else if (codePoint > last)
            {
                low = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
