using SupportConsole.Engine.Routing;

namespace SupportConsole.Engine.Retrieval;

/// <summary>The words BM25 matches on: the router's lower-casing and word runs (Unicode letters and numbers).</summary>
public static class RetrievalTokenizer
{
    public static List<string> Tokenize(string text, bool lightStemming)
    {
        var words = TicketTextFeaturizer.Words(TicketTextFeaturizer.ToLower(text));
        if (lightStemming)
        {
            for (var i = 0; i < words.Count; i++)
            {
                words[i] = Stem(words[i]);
            }
        }

        return words;
    }

    /// <summary>Drops a plural 's' from words longer than four letters ("cards" meets "card"; "this", "less" stay).</summary>
    public static string Stem(string word) =>
        word.Length > 4 && word[^1] == 's' && word[^2] is not ('s' or 'u' or 'i') ? word[..^1] : word;
}
