using Bunit;
using SupportConsole.Components.Pages.Queues.Components;
using SupportConsole.Components.Shared;
using SupportConsole.Engine.Gate;
using SupportConsole.Tickets;

namespace SupportConsole.Tests.Components;

/// <summary>The queue table: sort headers, selection for bulk actions, time left and who is viewing.</summary>
public sealed class QueueTableTests : MudTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    public QueueTableTests() => Services.AddScoped<ViewerTime>();

    [Fact]
    public void SortHeadersSayTheOrderAndAskForAnother()
    {
        QueueSort? asked = null;
        var cut = Render<QueueTable>(p => Parameters(p, [Row(1)], new QueueOrder(QueueSort.TimeLeft, false)).Add(x => x.OnSort, s => asked = s));

        Assert.Equal("ascending", cut.Find("[data-testid=sort-timeleft]").GetAttribute("aria-sort"));
        Assert.Equal("none", cut.Find("[data-testid=sort-received]").GetAttribute("aria-sort"));
        cut.Find("[data-testid=sort-priority]").Click();

        Assert.Equal(QueueSort.Priority, asked);
    }

    [Fact]
    public void SelectingAllTakesTheRowsStillInTheQueueOnly()
    {
        var selected = new HashSet<Guid>();
        var (a, b) = (Row(1), Row(2));
        var cut = Render<QueueTable>(p => Parameters(p, [new LiveRow(a, false, false), new LiveRow(b, Gone: true, false)], QueueOrder.DefaultFor(Queue.Suggest), selected));

        Input(cut, "select-all").Change(true);

        Assert.Equal([a.Id], selected);
    }

    [Fact]
    public void OverdueUrgentAndViewedRowsStandOut()
    {
        var row = Row(1) with { ReplyDueAt = Now.AddMinutes(-5), Priority = TicketPriority.Urgent };
        var cut = Render<QueueTable>(p => Parameters(p, [new LiveRow(row, false, false)], QueueOrder.DefaultFor(Queue.Escalated))
            .Add(x => x.Viewers, new Dictionary<Guid, IReadOnlyList<string>> { [row.Id] = ["maja@demo.example"] }));

        var tr = cut.Find("[data-testid=queue-row]");
        Assert.Contains("row-overdue", tr.ClassName);
        Assert.Contains("row-urgent", tr.ClassName);
        Assert.Equal("5 min overdue", cut.Find("[data-testid=time-left]").TextContent.Trim());
        Assert.Contains("maja@demo.example viewing", cut.Find("[data-testid=row-viewers]").TextContent);
        Assert.Equal("Urgent", cut.Find("[data-testid=row-priority]").TextContent);
    }

    private static ComponentParameterCollectionBuilder<QueueTable> Parameters(ComponentParameterCollectionBuilder<QueueTable> p, IReadOnlyList<QueueRow> rows,
        QueueOrder order) => Parameters(p, [.. rows.Select(r => new LiveRow(r, false, false))], order);

    private static ComponentParameterCollectionBuilder<QueueTable> Parameters(ComponentParameterCollectionBuilder<QueueTable> p, IReadOnlyList<LiveRow> rows,
        QueueOrder order, HashSet<Guid>? selected = null) => p
        .Add(x => x.Rows, rows)
        .Add(x => x.Order, order)
        .Add(x => x.Selected, selected ?? [])
        .Add(x => x.QueueSlug, "suggest")
        .Add(x => x.Now, Now)
        .Add(x => x.Me, "agent@demo.example");

    private static QueueRow Row(int minute) => new(Guid.CreateVersion7(Now.AddMinutes(-minute)), "C0001", "Card", "Where is my card?", "email",
        "Escalated", "card_arrival", 0.8, false, "Escalate", Now.AddMinutes(-minute));
}
