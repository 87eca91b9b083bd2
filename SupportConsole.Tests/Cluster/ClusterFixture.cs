using System.Net.Http.Json;
using System.Text.Json;
using SupportConsole.Operations;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Cluster;

/// <summary>
/// Two real console instances (separate processes) on one PostgreSQL database, as a load balancer would see them.
/// The first starts alone (it migrates and seeds), the second joins.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string ApiKey = "cluster-test-key";

    private readonly TemporaryDirectory _state = new();

    public TestDatabase Database { get; } = PostgresServer.CreateDatabase();

    public AppInstanceProcess A { get; private set; } = null!;

    public AppInstanceProcess B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await StartAsync("A");
        B = await StartAsync("B");
    }

    /// <summary>Another instance on the same database (a restart, or a third one).</summary>
    public Task<AppInstanceProcess> StartAsync(string name, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__SupportConsole"] = Database.ConnectionString,
            ["SUPPORTCONSOLE_DATA_DIR"] = Path.Combine(_state.Path, name),

            // A home folder each, as on two machines: nothing may be shared through ~/.aspnet.
            ["HOME"] = Path.Combine(_state.Path, name, "home"),
            ["Api__BootstrapKeys__0"] = ApiKey,

            // Every minute, so the test can see that a schedule fires once across the two instances.
            ["Jobs__GoldenEvaluationCron"] = "* * * * *",
            ["Recovery__IntervalSeconds"] = "2",
            ["Recovery__GraceSeconds"] = "3",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return AppInstanceProcess.StartAsync(name, environment, TimeSpan.FromSeconds(180), CancellationToken.None);
    }

    /// <summary>Runs a test step; when it fails, the failure carries what both instances printed last.</summary>
    public async Task WithInstanceOutputAsync(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- instance A ---\n{A.RecentOutput}\n--- instance B ---\n{B.RecentOutput}", e);
        }
    }

    public static HttpClient Client(AppInstanceProcess instance)
    {
        var client = new HttpClient { BaseAddress = instance.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public static async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> IngestAsync(AppInstanceProcess instance, string externalId, string body)
    {
        using var client = Client(instance);
        using var response = await client.PostAsJsonAsync("/api/v1/tickets", new { externalId, customerId = "C0001", channel = "email", body });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>
    /// Ingests fresh tickets on <paramref name="instance"/> until the answer satisfies <paramref name="done"/>, for at
    /// most <paramref name="timeout"/>, and returns the last answer: a change made on another instance arrives through a
    /// notification, a moment after the call that made it has returned.
    /// </summary>
    public static async Task<JsonElement> IngestUntilAsync(AppInstanceProcess instance, string externalIdPrefix, string body,
        Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            var (_, answer) = await IngestAsync(instance, $"{externalIdPrefix}-{attempt}", body);
            if (done(answer) || clock.Elapsed > timeout)
            {
                return answer;
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        Database.Dispose();
        _state.Dispose();
    }
}
