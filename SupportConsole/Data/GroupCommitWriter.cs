using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace SupportConsole.Data;

/// <summary>
/// The one writer of the ticket pipeline's rows (group commit). Concurrent requests hand it their writes; it runs
/// whatever is waiting in one transaction on its own connection, each piece of work inside its own savepoint so that
/// one that fails (a duplicate, a lost race) is undone alone, and completes every caller's task only after the
/// transaction holding its rows has committed (or failed). An awaited write is a committed write, and a failure is
/// reported after the batch committed, so a caller that lost a unique-index race can read the winner at once.
/// A caller that finds the writer idle runs the batch on its own thread (no hand-off while traffic is light); what
/// arrives meanwhile is taken over by the writer's thread. Work must be short and synchronous: statements only.
/// </summary>
public sealed class GroupCommitWriter : IDisposable
{
    /// <summary>Most pieces of work in one transaction (bounds how long the first of them waits for the commit).</summary>
    public const int MaxBatch = 64;

    private const string Savepoint = "work";

    private readonly Lock _gate = new();
    private readonly Queue<IWork> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly IDbContextFactory<SupportConsoleDbContext> _contexts;
    private readonly ILogger<GroupCommitWriter> _logger;
    private Thread? _thread;
    private SupportConsoleDbContext? _db;
    private RowStatements? _statements;

    /// <summary>Someone (a leading caller or the writer's thread) owns the connection and will look at the queue again.</summary>
    private bool _busy;

    /// <summary>The owner is the writer's thread (a leading caller handed over to it).</summary>
    private bool _handedOver;
    private bool _disposed;

    public GroupCommitWriter(IDbContextFactory<SupportConsoleDbContext> contexts, ILogger<GroupCommitWriter> logger)
    {
        _contexts = contexts;
        _logger = logger;
    }

    /// <summary>Transactions committed so far (a batch each), for the benchmarks.</summary>
    public long Commits { get; private set; }

    /// <summary>Pieces of work committed or failed so far.</summary>
    public long Writes { get; private set; }

    /// <summary>
    /// Runs <paramref name="work"/> in the next transaction; completes with its result once that transaction committed,
    /// or with its exception (its own rows rolled back). Cancelling only stops the wait: queued work still runs.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<RowStatements, T> work, CancellationToken cancellationToken = default)
    {
        var item = new Work<T>(work);
        bool lead;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Enqueue(item);
            lead = !_busy;
            _busy = true;
        }

        if (lead)
        {
            try
            {
                Execute(TakeBatch()!);
            }
            finally
            {
                HandOver();
            }
        }

        return cancellationToken.CanBeCanceled && !item.Task.IsCompleted ? item.Task.WaitAsync(cancellationToken) : item.Task;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _wake.Release();
        _thread?.Join(TimeSpan.FromSeconds(10));
        SpinWait.SpinUntil(() => { lock (_gate) { return !_busy; } }, TimeSpan.FromSeconds(10));
        CloseConnection();
        _wake.Dispose();
    }

    /// <summary>Up to <see cref="MaxBatch"/> waiting pieces of work; null (and the writer idle) when none are waiting.</summary>
    private List<IWork>? TakeBatch()
    {
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _busy = false;
                _handedOver = false;
                return null;
            }

            var batch = new List<IWork>(Math.Min(_queue.Count, MaxBatch));
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var work))
            {
                batch.Add(work);
            }

            return batch;
        }
    }

    /// <summary>After a leading caller's batch: idle if nothing came in meanwhile, else the writer's thread carries on.</summary>
    private void HandOver()
    {
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _busy = false;
                return;
            }

            _handedOver = true;
            _thread ??= StartThread();
        }

        _wake.Release();
    }

    private Thread StartThread()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "group-commit writer" };
        thread.Start();
        return thread;
    }

    private void Run()
    {
        while (true)
        {
            _wake.Wait();
            lock (_gate)
            {
                if (!_handedOver)
                {
                    // Woken to stop, or by a hand-over already served: the connection is not this thread's.
                    if (_disposed)
                    {
                        return;
                    }

                    continue;
                }
            }

            while (TakeBatch() is { } batch)
            {
                Execute(batch);
            }
        }
    }

    private void Execute(List<IWork> batch)
    {
        DbTransaction? transaction = null;
        try
        {
            var statements = Open();
            transaction = _db!.Database.GetDbConnection().BeginTransaction();
            statements.Transaction = transaction;
            if (batch.Count == 1)
            {
                // Alone in the batch: undoing the transaction undoes exactly this work.
                if (batch[0].Run(statements))
                {
                    transaction.Commit();
                }
                else
                {
                    statements.Discard();
                    transaction.Rollback();
                }
            }
            else
            {
                foreach (var work in batch)
                {
                    statements.Savepoint(Savepoint);
                    if (work.Run(statements))
                    {
                        statements.ReleaseSavepoint(Savepoint);
                    }
                    else
                    {
                        statements.RollbackToSavepoint(Savepoint);
                    }
                }

                statements.Flush();
                transaction.Commit();
            }

            Commits++;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A write batch of {Count} failed; none of it was committed", batch.Count);
            try
            {
                transaction?.Rollback();
            }
            catch (Exception rollback)
            {
                _logger.LogDebug(rollback, "Rolling back the failed batch failed too");
            }

            // Start again on a fresh connection: the old one may be what broke.
            CloseConnection();
            foreach (var work in batch)
            {
                work.Abandon(e);
            }
        }
        finally
        {
            transaction?.Dispose();
            if (_statements is not null)
            {
                _statements.Transaction = null;
            }
        }

        Writes += batch.Count;
        foreach (var work in batch)
        {
            work.Complete();
        }
    }

    private RowStatements Open()
    {
        if (_statements is not null)
        {
            return _statements;
        }

        _db = _contexts.CreateDbContext();
        _db.Database.OpenConnection();
        return _statements = new RowStatements(_db);
    }

    private void CloseConnection()
    {
        _statements?.Dispose();
        _statements = null;
        if (_db is not null)
        {
            _db.Database.CloseConnection();
            _db.Dispose();
            _db = null;
        }
    }

    private interface IWork
    {
        /// <summary>Runs the work; false when it threw (its exception is kept for the caller).</summary>
        bool Run(RowStatements statements);

        /// <summary>The whole batch failed: the work's rows are not stored, whatever it returned.</summary>
        void Abandon(Exception error);

        /// <summary>Hands the caller its result or exception (after the batch committed or failed).</summary>
        void Complete();
    }

    private sealed class Work<T>(Func<RowStatements, T> work) : IWork
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _completion.Task;

        public bool Run(RowStatements statements)
        {
            try
            {
                _result = work(statements);
                // Queued statements fail here, inside this work's savepoint, not in the next one's.
                statements.Flush();
                return true;
            }
            catch (Exception e)
            {
                _error = e;
                return false;
            }
        }

        public void Abandon(Exception error) => _error ??= error;

        public void Complete()
        {
            if (_error is null)
            {
                _completion.TrySetResult(_result!);
            }
            else
            {
                _completion.TrySetException(_error);
            }
        }
    }
}
