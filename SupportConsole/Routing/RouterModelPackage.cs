using System.IO.Compression;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Routing;

/// <summary>
/// A router version's files as one database blob: a zip of router.onnx and, for a cascade, its stage-2 file. A blob
/// that is not a zip is a stage-1-only graph stored before cascades existed.
/// </summary>
public static class RouterModelPackage
{
    public static byte[] Pack(string directory, RouterModelCard card)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in FilesOf(card))
            {
                var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
                using var target = entry.Open();
                using var source = File.OpenRead(Path.Combine(directory, name));
                source.CopyTo(target);
            }
        }

        return stream.ToArray();
    }

    public static void Unpack(byte[] content, string directory)
    {
        Directory.CreateDirectory(directory);
        if (content.Length < 4 || content[0] != (byte)'P' || content[1] != (byte)'K')
        {
            File.WriteAllBytes(Path.Combine(directory, RouterModelCard.OnnxFileName), content);
            return;
        }

        using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
        foreach (var entry in zip.Entries)
        {
            if (entry.Name != entry.FullName || entry.Name is not (RouterModelCard.OnnxFileName or CascadeCard.CascadeFileName))
            {
                throw new RouterModelException($"router package holds an unexpected file '{entry.FullName}'");
            }

            entry.ExtractToFile(Path.Combine(directory, entry.Name), overwrite: true);
        }
    }

    private static IEnumerable<string> FilesOf(RouterModelCard card) =>
        card.Cascade is null ? [RouterModelCard.OnnxFileName] : [RouterModelCard.OnnxFileName, card.Cascade.File];
}
