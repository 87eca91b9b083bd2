using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Tests.Cluster;

/// <summary>An instance killed with SIGKILL in the middle of a load loses no accepted ticket: the other one finishes them.</summary>
public sealed class InstanceCrashTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task KillingOneInstanceMidLoadLosesNoAcceptedTicket()
    {
        var accepted = new ConcurrentDictionary<string, bool>();
        var sent = 0;
        var killedAfter = -1;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            using var toA = ClusterFixture.Client(cluster.A);
            using var toB = ClusterFixture.Client(cluster.B);
            while (!limit.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref sent);
                if (i > 400)
                {
                    return;
                }

                if (i == 150)
                {
                    cluster.A.Kill();
                    killedAfter = accepted.Count;
                }

                var externalId = $"crash-{i:D4}";
                var client = i % 2 == 0 && !cluster.A.HasExited ? toA : toB;
                try
                {
                    using var response = await client.PostAsJsonAsync("/api/v1/tickets",
                        new { externalId, customerId = $"C{(i % 40) + 1:D4}", channel = "email", body = "Why was I charged a fee when I paid with my card?" }, limit.Token);
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.OK)
                    {
                        accepted[externalId] = true;
                    }
                }
                catch (HttpRequestException)
                {
                    // A request in flight to the killed instance: not accepted, may or may not be stored.
                }
            }
        }));

        Assert.True(cluster.A.HasExited);
        Assert.True(killedAfter > 0, "the load loop never reached the kill");
        Assert.True(accepted.Count > 300, $"only {accepted.Count} tickets accepted in {clock.Elapsed.TotalSeconds:0} s");

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var db = new PostgresSupportConsoleDbContext(new DbContextOptionsBuilder<PostgresSupportConsoleDbContext>().UseNpgsql(cluster.Database.ConnectionString).Options);
        while (await db.Tickets.AnyAsync(t => t.ExternalId.StartsWith("crash-") && t.Status == TicketStatus.Received, wait.Token))
        {
            await Task.Delay(500, wait.Token);
        }

        var stored = await db.Tickets.AsNoTracking().Where(t => t.ExternalId.StartsWith("crash-")).Select(t => t.ExternalId).ToListAsync();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Empty(accepted.Keys.Except(stored));
        Assert.Equal(stored.Count, await db.Decisions.CountAsync(d => db.Tickets.Any(t => t.Id == d.TicketId && t.ExternalId.StartsWith("crash-"))));
    }
}
