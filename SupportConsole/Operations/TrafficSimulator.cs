using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Accounting;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Identity;
using SupportConsole.Ingest;
using SupportConsole.Tickets;

namespace SupportConsole.Operations;

/// <summary>What to simulate.</summary>
public sealed record SimulationOptions(int Days, int Tickets, int Customers, int Seed, int Workers, TimeSpan MaxDuration, bool SimulatedCloud);

public sealed record AgentActionCounts(int Approved, int Edited, int Rejected, int EscalationsAnswered, int Pending, int Refused);

public sealed record SimulationReport(
    int Seed,
    int Days,
    DateTimeOffset From,
    DateTimeOffset To,
    int TicketsPlanned,
    int TicketsCreated,
    int TicketsAlreadyThere,
    int TicketsFailed,
    int Customers,
    int CustomersCreated,
    IReadOnlyDictionary<string, int> Channels,
    IReadOnlyDictionary<string, int> Bands,
    AgentActionCounts AgentActions,
    bool SimulatedCloud,
    int CloudTickets,
    int BudgetsCreated,
    int BudgetAlerts,
    decimal CostUsd,
    double Seconds,
    double TicketsPerSecond,
    bool StoppedEarly);

/// <summary>
/// Fills a database with realistic traffic through the real pipeline: BANKING77 texts, customers with a heavy-tailed
/// (Zipf) volume, timestamps over the past days with a weekly and daily rhythm, each ticket ingested with the clock set
/// to its time; then agents work the queues the way a support floor does (approve, edit or reject suggested drafts
/// after a delay counted in business hours; people answer escalations later), through TicketActions with the clock at
/// each action's time. The plan is a function of the seed, so counts repeat; the dates follow today.
/// </summary>
public static class TrafficSimulator
{
    public const double ZipfExponent = 1.1;

    private static readonly (string Name, double Weight)[] ChannelMix = [("email", 0.45), ("chat", 0.40), ("api", 0.15)];

    /// <summary>Monday to Sunday.</summary>
    private static readonly double[] WeekdayWeight = [1.15, 1.10, 1.05, 1.0, 0.92, 0.50, 0.40];

    /// <summary>Tickets per UTC hour of the day: quiet nights, a morning peak, a lunch dip, a smaller evening bump.</summary>
    private static readonly double[] HourWeight =
        [0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.8, 1.2, 1.5, 1.6, 1.5, 1.2, 1.35, 1.45, 1.4, 1.25, 1.0, 0.85, 0.75, 0.65, 0.5, 0.35, 0.25];

    private static readonly string[] FirstNames =
        ["Amara", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Liam", "Mei", "Nikolai", "Olivia", "Pedro",
         "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Xavier", "Yara", "Zoe", "Aiden", "Bea", "Carlos", "Daria", "Emeka", "Freya"];

    private static readonly string[] LastNames =
        ["Okafor", "Schmidt", "Dubois", "Patel", "Rossi", "Haddad", "Kim", "Moreau", "Silva", "Berg", "Tanaka", "Murphy", "Chen", "Ivanov", "Brown",
         "Santos", "Novak", "Garcia", "Nguyen", "Larsen", "Costa", "Weber", "Ali", "Fischer", "Jensen", "Kowalski", "Mensah", "Sato", "Walsh", "Horvat"];

    private static readonly string[] Plans = ["Standard", "Standard", "Standard", "Plus", "Plus", "Premium", "Metal"];

    private static readonly string[] Agents =
        ["amara.okafor", "ben.schmidt", "chloe.dubois", "dev.patel", "elena.rossi", "farid.haddad", "grace.kim", "hugo.moreau", "ines.silva",
         "jonas.berg", "keiko.tanaka", "liam.murphy"];

    private static readonly string[] AddedSentences =
    [
        "I've also checked your account and everything else looks fine.",
        "Sorry for the trouble this has caused.",
        "If you need anything else, just reply to this message.",
        "I can see this in your recent activity, so you don't need to send anything else.",
        "Thanks for your patience while we looked into this.",
    ];

    private static readonly string[] RejectReasons =
        ["wrong article cited", "customer asked something else", "needs a personal answer", "tone not right for this customer", "outdated policy"];

    public static async Task<SimulationReport> RunAsync(IServiceProvider services, SimulatedClock clock, SimulationOptions options, IReadOnlyList<string> texts,
        TextWriter progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.MaxDuration);
        var end = TimeProvider.System.GetUtcNow();
        end = new DateTimeOffset(end.Year, end.Month, end.Day, end.Hour, end.Minute, 0, TimeSpan.Zero);
        var start = end.AddDays(-options.Days);
        var random = new Random(options.Seed);

        var customerIds = Enumerable.Range(1, options.Customers).Select(i => $"C{i:D4}").ToList();
        var created = await EnsureCustomersAsync(services, customerIds, random, start, cancellationToken);
        var weights = ZipfWeights(customerIds.Count, random);
        var plan = Plan(options, texts, customerIds, weights, start, end, random);

        var budgets = options.SimulatedCloud ? await CreateBudgetsAsync(services, clock, options, customerIds, weights, start, cancellationToken) : 0;

        // Ingest in time order, a few tickets in flight: the clock of each worker's flow is the ticket's time.
        var intake = services.GetRequiredService<TicketIntake>();
        var outcomes = new DecidedTicket?[plan.Count];
        var existing = new bool[plan.Count];
        var attempted = new bool[plan.Count];
        var next = -1;
        var done = 0;
        var stoppedEarly = false;
        await Task.WhenAll(Enumerable.Range(0, options.Workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= plan.Count)
                {
                    return;
                }

                if (limit.IsCancellationRequested)
                {
                    stoppedEarly = true;
                    return;
                }

                var ticket = plan[i];
                clock.Set(ticket.At);
                var result = await intake.ReceiveAsync(new InboundTicket(ticket.ExternalId, ticket.CustomerId, ticket.Channel, null, ticket.Text, ticket.At),
                    "simulator", cancellationToken);
                outcomes[i] = result.Decided;
                existing[i] = !result.Created;
                attempted[i] = true;
                var count = Interlocked.Increment(ref done);
                if (count % Math.Max(1, plan.Count / 20) == 0)
                {
                    progress.WriteLine($"simulate: {count:N0} / {plan.Count:N0} tickets ingested ({count / started.Elapsed.TotalSeconds:N0}/s)");
                }
            }
        }, CancellationToken.None)));

        // Then the people: each ticket's actions in order, tickets in parallel (they do not interact).
        var actions = services.GetRequiredService<TicketActions>();
        int approved = 0, edited = 0, rejected = 0, answered = 0, pending = 0, refused = 0;
        var work = Enumerable.Range(0, plan.Count).Where(i => outcomes[i] is { Ticket.Status: TicketStatus.AwaitingApproval or TicketStatus.Escalated }).ToList();
        var nextWork = -1;
        await Task.WhenAll(Enumerable.Range(0, options.Workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var w = Interlocked.Increment(ref nextWork);
                if (w >= work.Count)
                {
                    return;
                }

                if (limit.IsCancellationRequested)
                {
                    stoppedEarly = true;
                    return;
                }

                var i = work[w];
                var decided = outcomes[i]!;
                var rng = new Random(HashCode.Combine(options.Seed, i));
                var agent = $"{Agents[rng.Next(Agents.Length)]}@northwind.example";
                var version = decided.Ticket.Version;
                var at = decided.Ticket.DecidedAt!.Value;
                var channel = decided.Ticket.Channel;
                var escalated = decided.Ticket.Status == TicketStatus.Escalated;
                if (!escalated)
                {
                    at = BusinessHours.After(at, TimeSpan.FromMinutes(LogNormal(rng, channel == "chat" ? 6 : channel == "api" ? 30 : 45, 0.9)));
                    if (at > end)
                    {
                        Interlocked.Increment(ref pending);
                        continue;
                    }

                    clock.Set(at);
                    var roll = rng.NextDouble();
                    var draft = decided.Draft?.OriginalText ?? string.Empty;
                    ActionResult result;
                    if (roll < 0.60)
                    {
                        result = await actions.SendAsync(decided.Ticket.Id, version, draft, agent, cancellationToken);
                        Interlocked.Increment(ref result.Succeeded ? ref approved : ref refused);
                        continue;
                    }

                    if (roll < 0.87)
                    {
                        result = await actions.SendAsync(decided.Ticket.Id, version, Edit(draft, rng), agent, cancellationToken);
                        Interlocked.Increment(ref result.Succeeded ? ref edited : ref refused);
                        continue;
                    }

                    result = await actions.RejectAsync(decided.Ticket.Id, version, RejectReasons[rng.Next(RejectReasons.Length)], agent, cancellationToken);
                    Interlocked.Increment(ref result.Succeeded ? ref rejected : ref refused);
                    if (!result.Succeeded)
                    {
                        continue;
                    }

                    version++;
                }

                // An escalation (or a rejected draft): a person answers most of them, later.
                if (rng.NextDouble() < 0.92)
                {
                    at = BusinessHours.After(at, TimeSpan.FromMinutes(LogNormal(rng, 150, 1.0)));
                    if (at > end)
                    {
                        Interlocked.Increment(ref pending);
                        continue;
                    }

                    clock.Set(at);
                    var reply = await actions.SendAsync(decided.Ticket.Id, version, PersonalReply(agent, rng), agent, cancellationToken);
                    Interlocked.Increment(ref reply.Succeeded ? ref answered : ref refused);
                }
                else
                {
                    Interlocked.Increment(ref pending);
                }
            }
        }, CancellationToken.None)));
        clock.Reset();

        var mine = outcomes.OfType<DecidedTicket>().ToList();
        int alerts;
        await using (var db = await services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            alerts = await db.BudgetAlerts.CountAsync(cancellationToken);
        }

        var seconds = started.Elapsed.TotalSeconds;
        return new SimulationReport(
            options.Seed,
            options.Days,
            start,
            end,
            plan.Count,
            mine.Count,
            existing.Count(e => e),
            Enumerable.Range(0, plan.Count).Count(i => attempted[i] && !existing[i] && outcomes[i] is null),
            customerIds.Count,
            created,
            plan.Where((_, i) => attempted[i]).GroupBy(t => t.Channel).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            Enum.GetValues<ConfidenceBand>().ToDictionary(b => b.ToString().ToLowerInvariant(), b => mine.Count(d => d.Decision.Band == b)),
            new AgentActionCounts(approved, edited, rejected, answered, pending, refused),
            options.SimulatedCloud,
            mine.Count(d => d.Receipts.Any(r => !r.IsLocal)),
            budgets,
            alerts,
            Money.Usd(mine.Sum(d => d.Receipts.Sum(r => r.CostNanosUsd))),
            Math.Round(seconds, 1),
            Math.Round(mine.Count / seconds, 1),
            stoppedEarly);
    }

    private sealed record PlannedTicket(string ExternalId, DateTimeOffset At, string CustomerId, string Channel, string Text);

    private static List<PlannedTicket> Plan(SimulationOptions options, IReadOnlyList<string> texts, List<string> customers, double[] weights,
        DateTimeOffset start, DateTimeOffset end, Random random)
    {
        // Day weights: the weekly rhythm and a slow growth of traffic over the period.
        var days = Enumerable.Range(0, options.Days + 1).Select(d => start.UtcDateTime.Date.AddDays(d)).Where(d => d <= end.UtcDateTime).ToList();
        var dayWeights = days.Select((d, index) => WeekdayWeight[((int)d.DayOfWeek + 6) % 7] * (0.85 + (0.3 * index / Math.Max(1, days.Count - 1)))).ToArray();
        var dayCumulative = Cumulative(dayWeights);
        var hourCumulative = Cumulative(HourWeight);
        var customerCumulative = Cumulative(weights);
        var channelCumulative = Cumulative([.. ChannelMix.Select(c => c.Weight)]);
        var times = new List<(DateTimeOffset At, string Customer, string Channel, string Text)>(options.Tickets);
        for (var i = 0; i < options.Tickets; i++)
        {
            DateTimeOffset at;
            do
            {
                var day = days[Pick(dayCumulative, random)];
                at = new DateTimeOffset(day.AddHours(Pick(hourCumulative, random)).AddSeconds(random.Next(3600)), TimeSpan.Zero);
            }
            while (at < start || at > end);

            times.Add((at, customers[Pick(customerCumulative, random)], ChannelMix[Pick(channelCumulative, random)].Name, texts[random.Next(texts.Count)]));
        }

        return [.. times.OrderBy(t => t.At).Select((t, i) => new PlannedTicket($"sim{options.Seed}-{i:D7}", t.At, t.Customer, t.Channel, t.Text))];
    }

    /// <summary>Zipf weights 1/rank^s over the customers, the ranks shuffled by the seed (the heaviest customer is not always C0001).</summary>
    private static double[] ZipfWeights(int count, Random random)
    {
        var ranks = Enumerable.Range(1, count).ToArray();
        random.Shuffle(ranks);
        return [.. ranks.Select(r => 1 / Math.Pow(r, ZipfExponent))];
    }

    private static async Task<int> EnsureCustomersAsync(IServiceProvider services, List<string> ids, Random random, DateTimeOffset start,
        CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>().CreateDbContextAsync(cancellationToken);
        var existing = (await db.Customers.Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var created = 0;
        foreach (var id in ids)
        {
            // Drawn for every id, so the names do not depend on which customers already exist.
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var plan = Plans[random.Next(Plans.Length)];
            var card = random.Next(10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            var since = random.Next(30, 1500);
            if (existing.Contains(id))
            {
                continue;
            }

            db.Customers.Add(new Customer
            {
                Id = id,
                Name = $"{first} {last}",
                Email = $"{first}.{last}.{id[1..]}@example.com".ToLowerInvariant(),
                Plan = plan,
                CardLast4 = card,
                CreatedAt = start.AddDays(-since),
            });
            created++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    /// <summary>
    /// With simulated cloud spend, the heaviest customers get budgets sized to run out within the month (every other one
    /// stops deferring to the cloud then), so warnings, alerts and the stop-deferring rule show up in the dashboards.
    /// </summary>
    private static async Task<int> CreateBudgetsAsync(IServiceProvider services, SimulatedClock clock, SimulationOptions options, List<string> customers,
        double[] weights, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var admin = services.GetRequiredService<BudgetAdmin>();
        await using var db = await services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>().CreateDbContextAsync(cancellationToken);
        var budgeted = (await db.CustomerBudgets.Select(b => b.CustomerId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var total = weights.Sum();
        var heaviest = Enumerable.Range(0, customers.Count).OrderByDescending(i => weights[i]).Take(Math.Max(1, customers.Count / 50)).ToList();
        var created = 0;
        clock.Set(start);
        foreach (var (index, n) in heaviest.Select((index, n) => (index, n)))
        {
            if (budgeted.Contains(customers[index]))
            {
                continue;
            }

            // Expected cloud spend a month: its share of tickets, ~18 % uncertified, ~$0.003 a cloud draft.
            var monthly = (decimal)(weights[index] / total) * options.Tickets * 0.18m * 0.003m * 30m / options.Days;
            var budget = Math.Max(0.01m, Math.Round(monthly * 0.75m, 2));
            var action = n % 2 == 0 ? OverBudgetAction.StopCloudDeferral : OverBudgetAction.KeepGoing;
            if ((await admin.SaveAsync(customers[index], budget, 0.8, action, "simulator", cancellationToken)).Succeeded)
            {
                created++;
            }
        }

        clock.Reset();
        return created;
    }

    private static string Edit(string draft, Random rng)
    {
        var lines = draft.ReplaceLineEndings("\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[0].StartsWith("Hi ", StringComparison.Ordinal) && rng.NextDouble() < 0.5)
        {
            lines[0] = "Hello " + lines[0][3..];
        }

        var insertAt = Math.Min(lines.Count, Math.Max(1, lines.Count - 3));
        lines.Insert(insertAt, AddedSentences[rng.Next(AddedSentences.Length)]);
        if (rng.NextDouble() < 0.3 && lines.Count > 5)
        {
            lines.RemoveAt(2);
        }

        return string.Join('\n', lines);
    }

    private static string PersonalReply(string agent, Random rng)
    {
        var name = char.ToUpperInvariant(agent[0]) + agent[1..agent.IndexOf('.', StringComparison.Ordinal)];
        return $"Hi,\n\nThanks for your patience. I've looked into this for you personally. {AddedSentences[rng.Next(AddedSentences.Length)]}\n\nBest regards,\n{name}, Northwind Bank Support";
    }

    private static double LogNormal(Random rng, double median, double sigma)
    {
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return median * Math.Exp(sigma * normal);
    }

    private static double[] Cumulative(IReadOnlyList<double> weights)
    {
        var cumulative = new double[weights.Count];
        var sum = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            sum += weights[i];
            cumulative[i] = sum;
        }

        return cumulative;
    }

    private static int Pick(double[] cumulative, Random random)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }
}

/// <summary>When work done in business hours (Mon-Fri 08-18, Sat 09-13 UTC) finishes.</summary>
public static class BusinessHours
{
    public static DateTimeOffset After(DateTimeOffset start, TimeSpan work)
    {
        var t = start.ToUniversalTime();
        var remaining = work;
        for (var guard = 0; guard < 400; guard++)
        {
            var (open, close) = Window(t.UtcDateTime.Date, t.UtcDateTime.DayOfWeek);
            if (close > open && t < close)
            {
                if (t < open)
                {
                    t = open;
                }

                var available = close - t;
                if (remaining <= available)
                {
                    return t + remaining;
                }

                remaining -= available;
            }

            t = new DateTimeOffset(t.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        }

        return t;
    }

    private static (DateTimeOffset Open, DateTimeOffset Close) Window(DateTime day, DayOfWeek weekday)
    {
        var date = new DateTimeOffset(day, TimeSpan.Zero);
        return weekday switch
        {
            DayOfWeek.Sunday => (date, date),
            DayOfWeek.Saturday => (date.AddHours(9), date.AddHours(13)),
            _ => (date.AddHours(8), date.AddHours(18)),
        };
    }
}
