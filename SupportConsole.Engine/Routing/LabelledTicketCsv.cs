using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace SupportConsole.Engine.Routing;

/// <summary>One ticket text with its intent, if known.</summary>
public sealed record LabelledText(string Text, string? Category)
{
    /// <summary>Every field of the row by (lower-case) header name, for files with more columns than text and category.</summary>
    public IReadOnlyDictionary<string, string> Columns { get; init; } = new Dictionary<string, string>();

    public string? Column(string name) => Columns.TryGetValue(name.ToLowerInvariant(), out var value) && value.Length > 0 ? value : null;
}

/// <summary>A data file the engine cannot use; the message names the file and the line.</summary>
public sealed class DataFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Reads <c>text,category</c> CSV files (header required, RFC 4180 quoting, UTF-8).</summary>
public static class LabelledTicketCsv
{
    public static IReadOnlyList<LabelledText> Read(string path, bool requireCategory)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException($"{path}: file not found");
        }

        using var reader = new StreamReader(path);
        return Read(reader, path, requireCategory);
    }

    /// <summary>The texts of a CSV with a <c>text</c> column and, when it has one, their <c>kind</c>.</summary>
    public static IReadOnlyList<(string Text, string? Kind)> ReadTexts(string path) =>
        [.. Read(path, requireCategory: false).Select(r => (r.Text, r.Columns.GetValueOrDefault("kind")))];

    public static IReadOnlyList<LabelledText> Read(TextReader reader, string source, bool requireCategory)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            Mode = CsvMode.RFC4180,
            DetectColumnCountChanges = true,
            BadDataFound = args => throw new DataFileException(
                $"{source}: malformed CSV at line {args.Context.Parser?.RawRow}: {Shorten(args.RawRecord)}"),
        };

        try
        {
            using var csv = new CsvReader(reader, config);
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
            {
                throw new DataFileException($"{source}: empty file, expected a header with a 'text' column");
            }

            var header = csv.HeaderRecord;
            var textColumn = Array.FindIndex(header, h => h.Trim().Equals("text", StringComparison.OrdinalIgnoreCase));
            var categoryColumn = Array.FindIndex(header, h => h.Trim().Equals("category", StringComparison.OrdinalIgnoreCase));
            if (textColumn < 0)
            {
                throw new DataFileException($"{source}: header has no 'text' column (found: {string.Join(",", header)})");
            }

            if (requireCategory && categoryColumn < 0)
            {
                throw new DataFileException($"{source}: header has no 'category' column (found: {string.Join(",", header)})");
            }

            var rows = new List<LabelledText>();
            while (csv.Read())
            {
                var line = csv.Parser.RawRow;
                if (csv.Parser.Count != header.Length)
                {
                    throw new DataFileException($"{source}: line {line} has {csv.Parser.Count} fields, the header has {header.Length}");
                }

                var text = csv.GetField(textColumn) ?? string.Empty;
                var category = categoryColumn >= 0 ? csv.GetField(categoryColumn)?.Trim() : null;
                if (requireCategory && string.IsNullOrEmpty(category))
                {
                    throw new DataFileException($"{source}: line {line} has an empty category");
                }

                var columns = new Dictionary<string, string>(header.Length);
                for (var i = 0; i < header.Length; i++)
                {
                    columns[header[i].Trim().ToLowerInvariant()] = csv.GetField(i) ?? string.Empty;
                }

                rows.Add(new LabelledText(text, string.IsNullOrEmpty(category) ? null : category) { Columns = columns });
            }

            return rows;
        }
        catch (DataFileException)
        {
            throw;
        }
        catch (CsvHelperException e)
        {
            throw new DataFileException($"{source}: malformed CSV near line {e.Context?.Parser?.RawRow}: {FirstLine(e.Message)}", e);
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text.TrimEnd() : text[..60] + "...";

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
