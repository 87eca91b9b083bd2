using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Tests.Pipeline;

/// <summary>The group-commit writer on a real SQLite file (and on PostgreSQL in the suite's PostgreSQL run, where statements are queued and batched): batching, isolation of a failed write, completion after commit.</summary>
public sealed class GroupCommitWriterTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly PipelineDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task WritesWaitingTogetherShareOneTransactionAndAFailedOneUndoesOnlyItsOwnRows()
    {
        var writer = _database.Writer;
        using var hold = new WriterHold(writer);
        var commitsBefore = writer.Commits;

        var first = writer.WriteAsync(rows => { rows.Insert(Customer("batch-a")); return 1; });
        var failing = writer.WriteAsync(rows =>
        {
            rows.Insert(Customer("batch-b"));
            rows.Insert(Customer("batch-a"));
            return 2;
        });
        var third = writer.WriteAsync(rows => { rows.Insert(Customer("batch-c")); return 3; });
        hold.Release();

        Assert.Equal(1, await first);
        Assert.Equal(3, await third);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => failing);
        Assert.True(DbExceptions.IsUniqueViolation(error), error.ToString());
        Assert.Equal(2, writer.Commits - commitsBefore);
        Assert.Equal(["batch-a", "batch-c"], await CustomerIdsAsync("batch-"));
    }

    [Fact]
    public async Task RowsOfAWriteThatThrowsBeforeTheyAreSentAreNeverStored()
    {
        var writer = _database.Writer;
        using (var hold = new WriterHold(writer))
        {
            var kept = writer.WriteAsync(rows => { rows.Insert(Customer("thrown-a")); return 1; });
            var thrown = writer.WriteAsync<int>(rows =>
            {
                rows.Insert(Customer("thrown-b"));
                throw new InvalidOperationException("the work failed after queuing its row");
            });
            hold.Release();

            Assert.Equal(1, await kept);
            await Assert.ThrowsAsync<InvalidOperationException>(() => thrown);
        }

        // Alone in its batch, the same: its queued row must not leak into the next write's statements either.
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync<int>(rows =>
        {
            rows.Insert(Customer("thrown-c"));
            throw new InvalidOperationException("alone");
        }));
        Assert.True(await writer.WriteAsync(rows => { rows.Insert(Customer("thrown-d")); return true; }));

        Assert.Equal(["thrown-a", "thrown-d"], await CustomerIdsAsync("thrown-"));
    }

    [Fact]
    public async Task AWriteIsReportedOnlyOnceItsWholeBatchHasCommitted()
    {
        var writer = _database.Writer;
        using var hold = new WriterHold(writer);
        using var secondStarted = new ManualResetEventSlim();
        using var secondMayFinish = new ManualResetEventSlim();

        var first = writer.WriteAsync(rows => { rows.Insert(Customer("commit-a")); return true; });
        var second = writer.WriteAsync(rows =>
        {
            secondStarted.Set();
            Assert.True(secondMayFinish.Wait(Patience));
            return true;
        });
        hold.Release();
        Assert.True(secondStarted.Wait(Patience));

        // The first write ran already, but its transaction is still open: its caller must not hear of it yet. The writer's
        // thread is held inside the second write, so whatever it would have reported after the first one it has by now:
        // no waiting is needed to see that it did not.
        Assert.False(first.IsCompleted);
        Assert.Empty(await CustomerIdsAsync("commit-"));

        secondMayFinish.Set();
        Assert.True(await first);
        Assert.True(await second);
        Assert.Equal(["commit-a"], await CustomerIdsAsync("commit-"));
    }

    [Fact]
    public async Task AWriteAloneInItsBatchThatFailsLeavesNothingAndTheWriterCarriesOn()
    {
        var writer = _database.Writer;
        await writer.WriteAsync(rows => { rows.Insert(Customer("alone-a")); return true; });

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync<bool>(rows =>
        {
            rows.Insert(Customer("alone-b"));
            throw new InvalidOperationException("the work itself failed");
        }));
        Assert.True(await writer.WriteAsync(rows => rows.InsertUnlessExists(Customer("alone-c"))));
        Assert.False(await writer.WriteAsync(rows => rows.InsertUnlessExists(Customer("alone-a"))));

        Assert.Equal(["alone-a", "alone-c"], await CustomerIdsAsync("alone-"));
    }

    [Fact]
    public async Task AnUpdateChangesOnlyTheRowThatStillHasTheVersionItWasReadWith()
    {
        var writer = _database.Writer;
        // Whole microseconds: what PostgreSQL keeps of a timestamp.
        var now = DateTimeOffset.UtcNow;
        now = now.AddTicks(-(now.Ticks % 10));
        var ticket = new Ticket
        {
            Id = Guid.CreateVersion7(),
            Channel = "test",
            ExternalId = "update-1",
            CustomerId = "update-customer",
            Body = "hello",
            ReceivedAt = now,
            IngestedAt = now,
            Status = TicketStatus.Received,
        };
        await writer.WriteAsync(rows => { rows.Insert(Customer("update-customer")); rows.Insert(ticket); return true; });
        string[] columns = [nameof(Ticket.Status), nameof(Ticket.Version)];

        ticket.Status = TicketStatus.Escalated;
        ticket.Version = 1;
        var changed = await writer.WriteAsync(rows => rows.Update(ticket, columns, [(nameof(Ticket.Id), ticket.Id), (nameof(Ticket.Version), 0L)]));
        ticket.Status = TicketStatus.AutoResolved;
        ticket.Version = 1;
        var stale = await writer.WriteAsync(rows => rows.Update(ticket, columns, [(nameof(Ticket.Id), ticket.Id), (nameof(Ticket.Version), 0L)]));

        Assert.Equal(1, changed);
        Assert.Equal(0, stale);
        await using var db = await _database.Contexts.CreateDbContextAsync();
        var stored = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticket.Id);
        Assert.Equal(TicketStatus.Escalated, stored.Status);
        Assert.Equal(1, stored.Version);
        Assert.Equal(ticket.IngestedAt, stored.IngestedAt);
    }

    private static Customer Customer(string id) => new() { Id = id, CreatedAt = DateTimeOffset.UtcNow };

    private async Task<List<string>> CustomerIdsAsync(string prefix)
    {
        await using var db = await _database.Contexts.CreateDbContextAsync();
        return await db.Customers.Where(c => c.Id.StartsWith(prefix)).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
    }

    /// <summary>Keeps the writer busy with one piece of work until released, so the writes queued meanwhile form one batch.</summary>
    private sealed class WriterHold : IDisposable
    {
        private readonly ManualResetEventSlim _started = new();
        private readonly ManualResetEventSlim _release = new();
        private readonly Task<bool> _work;

        public WriterHold(GroupCommitWriter writer)
        {
            // From another thread: a caller that finds the writer idle runs the batch itself.
            _work = Task.Run(() => writer.WriteAsync(_ =>
            {
                _started.Set();
                return _release.Wait(Patience);
            }));
            Assert.True(_started.Wait(Patience));
        }

        public void Release()
        {
            _release.Set();
            Assert.True(_work.Wait(Patience));
        }

        public void Dispose()
        {
            _release.Set();
            _started.Dispose();
            _release.Dispose();
        }
    }
}
