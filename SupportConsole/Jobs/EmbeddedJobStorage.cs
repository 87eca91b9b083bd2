using Hangfire.Storage.SQLite;
using SQLite;

namespace SupportConsole.Jobs;

/// <summary>
/// Hangfire's storage on the embedded default: Hangfire.Storage.SQLite in its own file beside the app's database, so
/// Hangfire's writes never wait on ticket ingest's write lock (docs/decisions/013-hangfire-on-sqlite.md).
/// <para>
/// The process that runs the job server owns the file: it holds an exclusive lock on <c>hangfire.db.owner</c> while it
/// lives (the kernel drops it when the process dies, however it dies), so a second server on the same state folder is
/// refused instead of fetching the same jobs. Owning the file is what makes the start-up clean-up safe: what the last
/// process fetched and never finished is visible again at once (not after the invisibility timeout), and the locks and
/// server records it left are removed (not waited out).
/// </para>
/// </summary>
public sealed class EmbeddedJobStorage : IDisposable
{
    public const string FileName = "hangfire.db";

    private readonly FileStream? _owner;

    private EmbeddedJobStorage(SQLiteStorage storage, FileStream? owner, StartupCleanup cleanup)
    {
        Storage = storage;
        _owner = owner;
        Cleanup = cleanup;
    }

    public SQLiteStorage Storage { get; }

    /// <summary>True when this process runs the job server and so owns the file.</summary>
    public bool IsOwner => _owner is not null;

    /// <summary>What the start-up clean-up found left over from the last process (all zero when not the owner).</summary>
    public StartupCleanup Cleanup { get; }

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Opens (creating if new) the job database in <paramref name="dataDirectory"/>; the owner cleans up after the last process.</summary>
    public static EmbeddedJobStorage Open(string dataDirectory, JobsOptions options, bool runsServer)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = PathIn(dataDirectory);
        var owner = runsServer ? TakeOwnership(path) : null;
        try
        {
            var storageOptions = new SQLiteStorageOptions
            {
                // The queue is polled (an enqueue does not wake a worker): this is the longest a new job waits for an idle worker.
                QueuePollInterval = TimeSpan.FromSeconds(options.QueuePollSeconds),

                // A fetched job is handed to another worker only after this long, so it must outlast the longest job;
                // a crashed process's jobs do not wait for it: the owner makes them visible at start.
                InvisibilityTimeout = TimeSpan.FromHours(options.FetchedJobTimeoutHours),
                JournalMode = SQLiteStorageOptions.JournalModes.WAL,
            };
            var storage = new SQLiteStorage(new SQLiteDbConnectionFactory(() => Connect(path)), storageOptions)
            {
                JobExpirationTimeout = TimeSpan.FromDays(options.JobHistoryDays),
            };
            var cleanup = owner is null ? new StartupCleanup(0, 0, 0) : CleanUpAfterLastProcess(storage);
            return new EmbeddedJobStorage(storage, owner, cleanup);
        }
        catch
        {
            owner?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Storage.Dispose();
        _owner?.Dispose();
    }

    private static SQLiteConnection Connect(string path)
    {
        var connection = new SQLiteConnection(path, SQLiteOpenFlags.ReadWrite | SQLiteOpenFlags.Create | SQLiteOpenFlags.NoMutex)
        {
            // As the app's own connections: a writer waits up to this long for another (a checkpoint, the expiration manager).
            BusyTimeout = TimeSpan.FromSeconds(10),
        };

        // Safe with WAL (a power cut may lose the last commits, never the file); the app's database runs the same way.
        connection.Execute("PRAGMA synchronous = NORMAL");
        return connection;
    }

    private static FileStream TakeOwnership(string path)
    {
        try
        {
            return new FileStream(path + ".owner", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"another process runs the job server on {path}; give each instance its own state folder (SUPPORTCONSOLE_DATA_DIR) or set Jobs:RunServer=false", e);
        }
    }

    private static StartupCleanup CleanUpAfterLastProcess(SQLiteStorage storage)
    {
        using var context = storage.CreateAndOpenConnection();
        var database = context.Database;
        var cleanup = new StartupCleanup(0, 0, 0);
        database.RunInTransaction(() => cleanup = new StartupCleanup(
            FetchedJobs: database.Execute("UPDATE JobQueue SET FetchedAt = ? WHERE FetchedAt <> ?", DateTime.MinValue, DateTime.MinValue),
            Locks: database.Execute("DELETE FROM DistributedLock"),
            Servers: database.Execute("DELETE FROM Server")));
        return cleanup;
    }

    /// <summary>Left by the last process: jobs it had fetched (queued again), locks it held and its server records (removed).</summary>
    public sealed record StartupCleanup(int FetchedJobs, int Locks, int Servers);
}
