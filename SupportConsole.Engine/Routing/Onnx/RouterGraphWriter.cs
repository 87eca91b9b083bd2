using SupportConsole.Engine.Onnx;
using SupportConsole.Engine.Onnx.Proto;
using DataType = SupportConsole.Engine.Onnx.Proto.TensorProto.Types.DataType;

namespace SupportConsole.Engine.Routing.Onnx;

/// <summary>The numbers a router graph is made of: vocabulary, one n-gram table for both members, and the dense head.</summary>
internal sealed record RouterGraphWeights
{
    public required FeatureVocabulary Vocabulary { get; init; }

    public required int Classes { get; init; }

    /// <summary>Columns of the linear member in the n-gram table: the classes, or a low-rank factor when there are many.</summary>
    public required int LinearRank { get; init; }

    public required int Hidden { get; init; }

    /// <summary>[vocabulary, linearRank + hidden]: per n-gram, the linear member's columns then the hidden layer's input weights.</summary>
    public required float[] NgramTable { get; init; }

    public required float[] HiddenBias { get; init; }

    /// <summary>[linearRank + hidden, classes]: maps the linear columns and the hidden units to class scores.</summary>
    public required float[] Output { get; init; }

    public int Width => LinearRank + Hidden;

    /// <summary>Sum of both members' (calibrated) class biases.</summary>
    public required float[] ClassBias { get; init; }
}

/// <summary>
/// Writes the router as one self-contained ONNX graph: raw text in, calibrated intent probabilities out.
/// N-grams never become strings inside the graph: words and characters are mapped to small integer codes
/// (LabelEncoder), an n-gram is the base-B number of its codes (Slice, Mul, Add on int64), and a second
/// LabelEncoder maps those numbers to feature ids. Per ticket the graph reads only the table rows of the
/// n-grams present (Gather, then one MatMul that sums them), so its cost does not grow with the vocabulary;
/// intents only enter through the final dense layer. It mirrors <see cref="TicketTextFeaturizer"/> and
/// <see cref="FeatureVocabulary.Vectorize"/>; the parity tests hold the two together.
/// </summary>
internal static class RouterGraphWriter
{
    /// <summary>Pads missing words and characters; never a word character, so it only ever forms unknown n-grams.</summary>
    private const string Padding = "#";

    public static ModelProto Build(RouterGraphWeights weights, IReadOnlyDictionary<string, string> metadata)
    {
        var vocabulary = weights.Vocabulary;
        var settings = vocabulary.Settings;
        var codes = NgramCodes.For(vocabulary);
        long unknownFeature = vocabulary.Count;
        long width = weights.Width;
        var g = new OnnxGraphBuilder("supportconsole_router");
        var text = RouterGraphWriterConstants.InputName;
        g.AddInput(text, DataType.String, "N");

        var axis1 = g.Vector("axis_1", 1);
        var zero = g.Vector("zero", 0);
        var minusOne = g.Vector("minus_one", -1);
        var end = g.Vector("end", long.MaxValue);
        var lower = g.Node("StringNormalizer", [text], ("case_change_action", "LOWER"), ("is_case_sensitive", 0L), ("locale", "C.UTF-8"));

        // Words: runs of Unicode letters and numbers (RE2), padded with '#' to the longest row, then coded 1..W.
        var words = g.NodeInDomain(OnnxGraphBuilder.MicrosoftDomain, "Tokenizer", [lower],
            ("mark", 0L), ("mincharnum", 1L), ("pad_value", Padding), ("tokenexp", RouterGraphWriterConstants.WordPattern));
        var wordCodes = g.NodeInDomain(OnnxGraphBuilder.MlDomain, "LabelEncoder", [words],
            ("keys_strings", codes.Words.ToArray()),
            ("values_int64s", Enumerable.Range(1, codes.Words.Count).Select(i => (long)i).ToArray()),
            ("default_int64", codes.UnknownWord));
        var wordKeys = NgramKeys(g, wordCodes, codes.WordBase, 1, settings.WordNgramMax, "word", zero, minusOne, end, axis1);
        var wordIds = g.NodeInDomain(OnnxGraphBuilder.MlDomain, "LabelEncoder", [wordKeys],
            ("keys_int64s", codes.WordKeys), ("values_int64s", codes.WordFeatureIds), ("default_int64", unknownFeature));

        // Characters of " lowered text ": word characters coded 1..A (unknown ones A+1), everything else a
        // word boundary (A+2), so runs of punctuation or spaces only ever form unknown n-grams.
        var boundary = g.Initializer("boundary", [TicketTextFeaturizer.WordBoundary]);
        var bounded = g.Node("StringConcat", [g.Node("StringConcat", [boundary, lower]), boundary]);
        var characters = g.NodeInDomain(OnnxGraphBuilder.MicrosoftDomain, "Tokenizer", [bounded],
            ("mark", 0L), ("mincharnum", 1L), ("pad_value", Padding), ("separators", new[] { string.Empty }));
        var isWordCharacter = g.Node("RegexFullMatch", [characters], ("pattern", RouterGraphWriterConstants.WordCharacterPattern));
        var characterCodes = g.Node("Where", [isWordCharacter,
            g.NodeInDomain(OnnxGraphBuilder.MlDomain, "LabelEncoder", [characters],
                ("keys_strings", codes.Characters.ToArray()),
                ("values_int64s", Enumerable.Range(1, codes.Characters.Count).Select(i => (long)i).ToArray()),
                ("default_int64", codes.UnknownCharacter)),
            g.Scalar("boundary_code", codes.Boundary)]);
        var charKeys = NgramKeys(g, characterCodes, codes.CharacterBase, settings.CharNgramMin, settings.CharNgramMax, "char",
            zero, minusOne, end, axis1);
        var charIds = g.NodeInDomain(OnnxGraphBuilder.MlDomain, "LabelEncoder", [charKeys],
            ("keys_int64s", codes.CharKeys), ("values_int64s", codes.CharFeatureIds), ("default_int64", unknownFeature));

        // Each n-gram occurrence weighs 1 / sqrt(sum of idf^2 over its block) (words also times the block weight);
        // the idf itself is folded into the table. One Gather reads the rows, one MatMul sums them per ticket.
        var idfSquared = g.Initializer("idf_squared", [.. vocabulary.Idf.Select(v => v * v), 0f], unknownFeature + 1);
        var floor = g.Scalar("norm_floor", (float)FeatureVocabulary.NormFloor);
        string OccurrenceWeights(string ids, float blockWeight, string name)
        {
            var squares = g.Node("ReduceSum", [g.Node("Gather", [idfSquared, ids]), axis1], ("keepdims", 1L));
            var scale = g.Node("Div", [g.Scalar($"{name}_weight", blockWeight), g.Node("Sqrt", [g.Node("Max", [squares, floor])])]);
            return g.Node("Expand", [scale, g.Node("Shape", [ids])]);
        }

        var ids = g.Node("Concat", [wordIds, charIds], ("axis", 1L));
        var occurrenceWeights = g.Node("Concat",
            [OccurrenceWeights(wordIds, settings.WordBlockWeight, "word"), OccurrenceWeights(charIds, 1f, "char")], ("axis", 1L));
        var table = g.Initializer("ngram_table", FoldIdf(weights), unknownFeature + 1, width);
        var rows = g.Node("Gather", [table, ids]);
        var sums = g.Node("Squeeze", [g.Node("MatMul", [g.Node("Unsqueeze", [occurrenceWeights, axis1]), rows]), axis1]);

        // Linear columns pass through; hidden columns get bias and ReLU; one dense layer maps both to class scores.
        var linearColumns = g.Node("Slice", [sums, zero, g.Vector("linear_end", weights.LinearRank), axis1]);
        var hiddenInput = g.Node("Slice", [sums, g.Vector("hidden_start", weights.LinearRank), g.Vector("hidden_end", width), axis1]);
        var hidden = g.Node("Relu", [g.Node("Add", [hiddenInput, g.Initializer("hidden_bias", weights.HiddenBias, weights.Hidden)])]);
        var features = g.Node("Concat", [linearColumns, hidden], ("axis", 1L));
        var classScores = g.Node("MatMul", [features, g.Initializer("output", weights.Output, width, weights.Classes)]);
        var scores = g.Node("Add", [classScores, g.Initializer("class_bias", weights.ClassBias, weights.Classes)]);
        g.Identity(g.Node("Softmax", [scores], ("axis", -1L)), RouterGraphWriterConstants.OutputName);
        g.AddOutput(RouterGraphWriterConstants.OutputName, DataType.Float, "N", weights.Classes);

        return g.ToModel(metadata, [.. RouterGraphWriterConstants.Opsets.Select(p => (p.Key == "ai.onnx" ? string.Empty : p.Key, p.Value))]);
    }

    /// <summary>
    /// The base-B keys of all n-grams of orders <paramref name="minOrder"/>..<paramref name="maxOrder"/> along axis 1 of a
    /// code matrix, concatenated: key(c1..cn) = ((c1 * B + c2) * B + ...) + cn. Codes start at 1, so keys of different
    /// orders never collide.
    /// </summary>
    private static string NgramKeys(OnnxGraphBuilder g, string codes, long numberBase, int minOrder, int maxOrder, string name,
        string zero, string minusOne, string end, string axis1)
    {
        var baseScalar = g.Scalar($"{name}_base", numberBase);
        var keys = new List<string>();
        var current = codes;
        for (var order = 1; order <= maxOrder; order++)
        {
            if (order > 1)
            {
                var head = g.Node("Slice", [current, zero, minusOne, axis1]);
                var tail = g.Node("Slice", [codes, g.Vector($"{name}_start_{order}", order - 1), end, axis1]);
                current = g.Node("Add", [g.Node("Mul", [head, baseScalar]), tail]);
            }

            if (order >= minOrder)
            {
                keys.Add(current);
            }
        }

        return keys.Count == 1 ? keys[0] : g.Node("Concat", [.. keys], ("axis", 1L));
    }

    private static float[] FoldIdf(RouterGraphWeights weights)
    {
        var width = weights.Width;
        var folded = new float[(weights.Vocabulary.Count + 1) * width];
        for (var feature = 0; feature < weights.Vocabulary.Count; feature++)
        {
            var idf = weights.Vocabulary.Idf[feature];
            var source = weights.NgramTable.AsSpan(feature * width, width);
            var target = folded.AsSpan(feature * width, width);
            for (var j = 0; j < width; j++)
            {
                target[j] = source[j] * idf;
            }
        }

        return folded;
    }

    /// <summary>The integer codes of words and characters, and every vocabulary n-gram as a base-B key.</summary>
    private sealed record NgramCodes(
        IReadOnlyList<string> Words, long UnknownWord, long WordBase, long[] WordKeys, long[] WordFeatureIds,
        IReadOnlyList<string> Characters, long UnknownCharacter, long Boundary, long CharacterBase, long[] CharKeys, long[] CharFeatureIds)
    {
        public static NgramCodes For(FeatureVocabulary vocabulary)
        {
            var settings = vocabulary.Settings;
            var words = vocabulary.WordGrams.SelectMany(g => g.Split(TicketTextFeaturizer.WordSeparator))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var wordCode = words.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i + 1L, StringComparer.Ordinal);
            long wordBase = words.Count + 2;
            CheckRange(wordBase, settings.WordNgramMax, "word");
            var wordKeys = vocabulary.WordGrams.Select(g => Key(g.Split(TicketTextFeaturizer.WordSeparator).Select(w => wordCode[w]), wordBase)).ToArray();

            var characters = vocabulary.CharGrams.SelectMany(g => g.EnumerateRunes().Select(r => r.ToString()))
                .Where(c => c != TicketTextFeaturizer.WordBoundary)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var characterCode = characters.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i + 1L, StringComparer.Ordinal);
            long boundary = characters.Count + 2;
            long characterBase = characters.Count + 3;
            CheckRange(characterBase, settings.CharNgramMax, "character");
            var charKeys = vocabulary.CharGrams.Select(g => Key(g.EnumerateRunes()
                .Select(r => r.ToString() == TicketTextFeaturizer.WordBoundary ? boundary : characterCode[r.ToString()]), characterBase)).ToArray();

            return new NgramCodes(
                words, words.Count + 1, wordBase, wordKeys,
                [.. Enumerable.Range(0, vocabulary.WordCount).Select(i => (long)i)],
                characters, characters.Count + 1, boundary, characterBase, charKeys,
                [.. Enumerable.Range(vocabulary.WordCount, vocabulary.CharGrams.Count).Select(i => (long)i)]);
        }

        private static long Key(IEnumerable<long> codes, long numberBase) => codes.Aggregate(0L, (key, code) => (key * numberBase) + code);

        private static void CheckRange(long numberBase, int maxOrder, string kind)
        {
            if (maxOrder * Math.Log2(numberBase) >= 62)
            {
                throw new ArgumentException(
                    $"{kind} n-grams of order {maxOrder} over {numberBase - 2} distinct {kind}s do not fit in 64-bit keys; lower the order");
            }
        }
    }
}
