using System.Security.Cryptography;

namespace SupportConsole.Engine.Encoders;

/// <summary>
/// Encoder embeddings kept on disk by (SHA-256 of the text, encoder version), so a retrain embeds only texts it has
/// not seen. One append-only file per encoder version: a header (magic, dimensions), then records of 32 hash bytes
/// and the embedding's floats. A torn last record (a crash mid-write) is cut off before the next read or append.
/// Processes that share the folder (two instances, a command beside the app) take turns through an exclusive lock
/// on a sibling ".lock" file; each writes whole records only while it holds it.
/// </summary>
public sealed class EmbeddingCache
{
    private const int Magic = 0x31434553; // "SEC1"
    private const int HashBytes = 32;
    private const int BatchSize = 256;
    private const int HeaderBytes = 8;

    /// <summary>Batches embedded at once: the machines this runs on have two cores or more.</summary>
    private static readonly int EncoderThreads = Math.Clamp(Environment.ProcessorCount, 1, 2);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, float[]> _rows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly string _path;

    private EmbeddingCache(string path, int dimensions)
    {
        _path = path;
        Dimensions = dimensions;
    }

    private int RecordBytes => HashBytes + (4 * Dimensions);

    public int Dimensions { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _rows.Count;
            }
        }
    }

    /// <summary>Opens (or starts) the cache of <paramref name="encoderVersion"/> under <paramref name="directory"/>.</summary>
    public static EmbeddingCache Open(string directory, string encoderVersion, int dimensions)
    {
        Directory.CreateDirectory(directory);
        var name = new string([.. encoderVersion.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')]);
        var cache = new EmbeddingCache(Path.Combine(directory, $"embeddings-{name}.bin"), dimensions);
        cache.ReadExisting();
        return cache;
    }

    /// <summary>
    /// Embeddings of <paramref name="texts"/> (rows x dimensions): cached rows are reused, the others computed by
    /// <paramref name="encoder"/> in batches (with progress) and appended to the file.
    /// </summary>
    public EmbeddingResult Embed(ITextEmbedder encoder, IReadOnlyList<string> texts, IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        if (encoder.Dimensions != Dimensions)
        {
            throw new ArgumentException($"encoder gives {encoder.Dimensions} dimensions, the cache holds {Dimensions}", nameof(encoder));
        }

        var keys = texts.Select(Key).ToArray();
        var missing = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (!_rows.ContainsKey(keys[i]) && seen.Add(keys[i]))
                {
                    missing.Add(i);
                }
            }
        }

        // Batches side by side, each through the encoder on its own thread (one session, one thread per run): a batch
        // holds the same texts however many run at once, so its vectors are the same bits.
        var done = 0;
        var batches = Enumerable.Range(0, (missing.Count + BatchSize - 1) / BatchSize).ToArray();
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = EncoderThreads, CancellationToken = cancellationToken }, b =>
        {
            var batch = missing.Skip(b * BatchSize).Take(BatchSize).ToArray();
            var vectors = encoder.Embed([.. batch.Select(i => texts[i])]);
            Append([.. batch.Select((row, r) => (keys[row], vectors.AsSpan(r * Dimensions, Dimensions).ToArray()))]);
            var embedded = Interlocked.Add(ref done, batch.Length);
            progress?.Report($"embedded {embedded} of {missing.Count} new texts ({texts.Count - missing.Count} from the cache)");
        });

        var result = new float[texts.Count * Dimensions];
        lock (_lock)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                _rows[keys[i]].CopyTo(result.AsSpan(i * Dimensions));
            }
        }

        return new EmbeddingResult(result, missing.Count, texts.Count - missing.Count);
    }

    private static string Key(string text) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private void Append(IReadOnlyList<(string Key, float[] Vector)> rows)
    {
        lock (_lock)
        {
            using var fileLock = AcquireFileLock();
            using var stream = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            if (stream.Length < HeaderBytes)
            {
                stream.SetLength(0);
            }
            else
            {
                // Another process may have died mid-record: start on a record boundary.
                stream.SetLength(stream.Length - ((stream.Length - HeaderBytes) % RecordBytes));
            }

            stream.Seek(0, SeekOrigin.End);
            using var writer = new BinaryWriter(stream);
            if (stream.Length == 0)
            {
                writer.Write(Magic);
                writer.Write(Dimensions);
            }

            foreach (var (key, vector) in rows)
            {
                writer.Write(Convert.FromHexString(key));
                foreach (var value in vector)
                {
                    writer.Write(value);
                }

                _rows[key] = vector;
            }

            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>
    /// The folder's exclusive lock (a ".lock" file opened unshared, which .NET maps to an advisory lock on Linux and
    /// a share mode on Windows), waited for up to two minutes.
    /// </summary>
    private FileStream AcquireFileLock()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(_path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockTimeout)
            {
                Thread.Sleep(50);
            }
        }
    }

    private void ReadExisting()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        using var fileLock = AcquireFileLock();
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        using var reader = new BinaryReader(stream);
        if (stream.Length < HeaderBytes || reader.ReadInt32() != Magic || reader.ReadInt32() != Dimensions)
        {
            // Not ours, or another shape: start over rather than misread it.
            stream.Close();
            File.Delete(_path);
            return;
        }

        while (stream.Length - stream.Position >= RecordBytes)
        {
            var key = Convert.ToHexString(reader.ReadBytes(HashBytes));
            var vector = new float[Dimensions];
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] = reader.ReadSingle();
            }

            _rows[key] = vector;
        }

        // A torn last record is cut off: appends start on a record boundary.
        stream.SetLength(stream.Position);
    }
}

/// <summary>What <see cref="EmbeddingCache.Embed"/> returned: the rows, and how many were computed or reused.</summary>
public sealed record EmbeddingResult(float[] Rows, int Computed, int Reused);
