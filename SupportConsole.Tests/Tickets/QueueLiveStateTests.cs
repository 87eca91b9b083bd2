using SupportConsole.Tickets;

namespace SupportConsole.Tests.Tickets;

/// <summary>Rows on a queue page while tickets change: nothing moves under the cursor.</summary>
public sealed class QueueLiveStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ATicketThatSortsAfterEveryRowOnScreenIsAddedAtTheEnd()
    {
        var (a, b, c) = (Row(1), Row(2), Row(3));
        var state = new QueueLiveState();
        state.Load([a, b]);

        state.Apply([a, b, c], arrivals: [c.Id], pageSize: 25);

        Assert.Equal([a.Id, b.Id, c.Id], state.Rows.Select(r => r.Row.Id));
        Assert.True(state.Rows[2].Arrived);
        Assert.Equal(0, state.Unseen);
    }

    [Fact]
    public void ATicketThatWouldGoAboveRowsOnScreenIsCountedInsteadOfShown()
    {
        var (a, b, newest) = (Row(1), Row(2), Row(3));
        var state = new QueueLiveState();
        state.Load([b, a]);

        // Newest first: the new ticket belongs at the top, which would push every row down.
        state.Apply([newest, b, a], arrivals: [newest.Id], pageSize: 25);

        Assert.Equal([b.Id, a.Id], state.Rows.Select(r => r.Row.Id));
        Assert.Equal(1, state.Unseen);
    }

    [Fact]
    public void ARowWhoseTicketLeftTheQueueStaysInPlaceDimmedUntilRefreshed()
    {
        var (a, b, c) = (Row(1), Row(2), Row(3));
        var state = new QueueLiveState();
        state.Load([a, b, c]);

        state.Apply([a, c], arrivals: [], pageSize: 25);

        Assert.Equal([a.Id, b.Id, c.Id], state.Rows.Select(r => r.Row.Id));
        Assert.True(state.Rows[1].Gone);
        Assert.False(state.Rows[0].Gone);

        state.Load([a, c]);
        Assert.Equal([a.Id, c.Id], state.Rows.Select(r => r.Row.Id));
    }

    [Fact]
    public void AFullPageCountsNewTicketsAndATicketOnALaterPageIsCountedToo()
    {
        var (a, b, c, later) = (Row(1), Row(2), Row(3), Row(4));
        var state = new QueueLiveState();
        state.Load([a, b]);

        state.Apply([a, b], arrivals: [later.Id], pageSize: 2);
        state.Apply([a, b], arrivals: [c.Id], pageSize: 2);

        Assert.Equal([a.Id, b.Id], state.Rows.Select(r => r.Row.Id));
        Assert.Equal(2, state.Unseen);
    }

    [Fact]
    public void ChangedDataOfARowOnScreenIsUpdatedWhereItIs()
    {
        var (a, b) = (Row(1), Row(2));
        var state = new QueueLiveState();
        state.Load([a, b]);

        state.Apply([a with { AssignedTo = "maja@demo.example" }, b], arrivals: [], pageSize: 25);

        Assert.Equal("maja@demo.example", state.Rows[0].Row.AssignedTo);
        Assert.Equal([a.Id, b.Id], state.Rows.Select(r => r.Row.Id));
    }

    private static QueueRow Row(int minute) => new(Guid.CreateVersion7(Start.AddMinutes(minute)), "C0001", null, $"ticket {minute}", "email",
        "AwaitingApproval", "card_arrival", 0.9, true, "Suggest", Start.AddMinutes(minute));
}
