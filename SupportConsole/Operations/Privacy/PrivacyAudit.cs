using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using SupportConsole.Api;
using SupportConsole.Data;
using SupportConsole.Engine.Routing;
using SupportConsole.Identity;
using SupportConsole.Routing;
using SupportConsole.Tickets;

namespace SupportConsole.Operations.Privacy;

/// <summary>What the audit asks of the console it observes.</summary>
public sealed record PrivacyAuditOptions(int Tickets, IReadOnlyCollection<IPEndPoint> Allowed, TimeSpan StartTimeout, TimeSpan JobTimeout)
{
    /// <summary>More work to do against the observed console once the audit's own is done (the tests drive a browser through it).</summary>
    public Func<PrivacyAuditSession, CancellationToken, Task>? WhileRunning { get; init; }
}

/// <summary>The observed console, for <see cref="PrivacyAuditOptions.WhileRunning"/>: its address, its accounts and the pages the audit fetched.</summary>
public sealed record PrivacyAuditSession(Uri BaseUrl, IReadOnlyDictionary<string, (string Email, string Password)> Accounts, IReadOnlyList<PageVisit> Pages);

/// <summary>A page fetched as one role, with the status it answered (a redirect to sign-in for pages the role may not see).</summary>
public sealed record PageVisit(string Role, string Path, int Status);

/// <summary>How many attempts went to one destination.</summary>
public sealed record DestinationCount(string Destination, ConnectionKind Kind, int Attempts);

/// <summary>What the observed run did and every connection attempt it made.</summary>
public sealed record PrivacyAuditReport(
    int TicketsSent,
    int TicketsAccepted,
    IReadOnlyList<PageVisit> Pages,
    IReadOnlyList<string> JobsSucceeded,
    int RouterPredictExitCode,
    int WebhookDeliveries,
    int WebhookAttemptsSeen,
    int ConnectionAttempts,
    IReadOnlyDictionary<ConnectionKind, int> ByKind,
    IReadOnlyList<DestinationCount> Destinations,
    IReadOnlyList<string> LeftTheMachine,
    IReadOnlyList<string> TelemetryFiles,
    IReadOnlyList<string> FilesWrittenToHome)
{
    /// <summary>
    /// No attempt left the machine, no telemetry file appeared, the work the audit asked for was done, and the
    /// observer saw the connections it should have (the replies delivered to the audit's own webhook).
    /// </summary>
    public bool Passed => ObserverWorked && LeftTheMachine.Count == 0 && TelemetryFiles.Count == 0 && ByKind.GetValueOrDefault(ConnectionKind.NameLookup) == 0
                          && TicketsAccepted == TicketsSent && TicketsSent > 0 && JobsSucceeded.Count > 0 && RouterPredictExitCode == 0
                          && Pages.Count > 0 && Pages.All(p => p.Status < 500);

    /// <summary>The webhook received auto replies and the trace holds connections to it: the observer saw the console's sockets.</summary>
    public bool ObserverWorked => WebhookDeliveries > 0 && WebhookAttemptsSeen > 0;
}

/// <summary>
/// Proves "nothing leaves the building" on this installation: starts a throw-away console (this build, its settings,
/// SQLite in a temporary folder, a temporary home folder) under <see cref="ConnectionTrace"/>, sends it tickets through
/// the API, fetches every page as every role, waits for a background job, stops it, runs <c>router predict</c> under
/// the same observer, and reports every connection attempt and any telemetry file either process wrote. Auto replies
/// go to a webhook on 127.0.0.1 that the audit serves, as a configured deployment's would: the connections to it show
/// that the observer sees the console's sockets (an empty trace proves nothing).
/// </summary>
public static partial class PrivacyAudit
{
    /// <summary>Sample paths for the pages whose route takes a parameter; a new page of that kind must be added here.</summary>
    private static readonly Dictionary<string, Func<AuditSamples, IEnumerable<string>>> ParameterisedPages = new(StringComparer.Ordinal)
    {
        ["/queues/{Name}"] = _ => ["/queues/suggest", "/queues/escalated", "/queues/pending", "/queues/auto"],
        ["/tickets/{Id:guid}"] = s => [$"/tickets/{s.TicketId}"],
        ["/costs/customers/{CustomerId}"] = s => [$"/costs/customers/{s.CustomerId}"],
        ["/knowledge/{Id}"] = s => [$"/knowledge/{s.ArticleId}"],
        ["/knowledge/{Id}/history"] = s => [$"/knowledge/{s.ArticleId}/history"],
        ["/error/{Code:int}"] = _ => ["/error/404"],
    };

    private static readonly string[] Roles = ["agent", "manager", "admin"];

    /// <summary>Where ONNX Runtime keeps its telemetry queue and device id (relative to the home folder).</summary>
    private static readonly string TelemetryFolder = Path.Combine(".cache", "Microsoft");

    /// <summary>Every route template of the console's pages.</summary>
    public static IReadOnlyList<string> PageTemplates { get; } = typeof(Components.App).Assembly.GetTypes()
        .Where(t => typeof(IComponent).IsAssignableFrom(t))
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
        .Select(r => r.Template)
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The paths the audit fetches; throws for a parameterised page it has no sample for.</summary>
    public static IReadOnlyList<string> PagePaths(AuditSamples samples) => PageTemplates
        .SelectMany(template => !template.Contains('{', StringComparison.Ordinal) ? [template]
            : ParameterisedPages.TryGetValue(template, out var sample) ? sample(samples)
            : throw new InvalidOperationException($"the privacy audit has no sample path for the page {template}: add one to PrivacyAudit"))
        .ToList();

    public static async Task<PrivacyAuditReport> RunAsync(PrivacyAuditOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        if (ConnectionTrace.FindStrace() is null)
        {
            throw new InvalidOperationException("strace is not installed (Debian: apt-get install strace); the audit observes the console with it");
        }

        var root = Path.Combine(Path.GetTempPath(), $"supportconsole-privacy-{Guid.NewGuid():N}");
        var home = Path.Combine(root, "home");
        var state = Path.Combine(root, "state");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(state);
        await using var webhook = await AuditWebhook.StartAsync(cancellationToken);
        try
        {
            var key = ApiKeyFormat.NewKey();
            var passwords = Roles.ToDictionary(r => r, _ => $"Audit-{Guid.NewGuid():N}");
            var environment = new Dictionary<string, string>
            {
                ["DemoAccounts__AgentPassword"] = passwords["agent"],
                ["DemoAccounts__ManagerPassword"] = passwords["manager"],
                ["DemoAccounts__AdminPassword"] = passwords["admin"],
                ["HOME"] = home,
                ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache"),
                ["Database__Provider"] = "Sqlite",
                ["SUPPORTCONSOLE_DATA_DIR"] = state,
                ["Api__BootstrapKeys__0"] = key,
                // The nightly golden-set evaluation, every minute here: a background job runs while the audit watches.
                ["Jobs__GoldenEvaluationCron"] = "* * * * *",
                ["DemoAccounts__Create"] = "true",
                ["Outbox__WebhookUrl"] = webhook.Url.ToString(),
                // The shipped router this installation already built (first start): the throw-away console and router
                // predict load it from there instead of training it again.
                ["Models__CacheDirectory"] = InstallationModelCache(),
            };

            var consoleTrace = new ConnectionTrace(Path.Combine(root, "console.strace"));
            progress.WriteLine("starting the console under strace ...");
            var (sent, accepted, pages, jobs) = await ObserveConsoleAsync(consoleTrace, environment, key, passwords, state, webhook, options, progress, cancellationToken);

            progress.WriteLine("running router predict under strace ...");
            var predictTrace = new ConnectionTrace(Path.Combine(root, "predict.strace"));
            var predictExit = await RunRouterPredictAsync(predictTrace, environment, root, cancellationToken);

            var attempts = consoleTrace.Read(options.Allowed).Concat(predictTrace.Read(options.Allowed)).ToList();
            var webhookEndpoint = new IPEndPoint(IPAddress.Loopback, webhook.Url.Port).ToString();
            var written = Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(home, f)).Order(StringComparer.Ordinal).ToList();
            return new PrivacyAuditReport(
                sent,
                accepted,
                pages,
                jobs,
                predictExit,
                webhook.Deliveries,
                attempts.Count(a => a.Call == "connect" && a.Destination == webhookEndpoint),
                attempts.Count,
                Enum.GetValues<ConnectionKind>().ToDictionary(k => k, k => attempts.Count(a => a.Kind == k)),
                attempts.GroupBy(a => (a.Destination, a.Kind)).Select(g => new DestinationCount(g.Key.Destination, g.Key.Kind, g.Count()))
                    .OrderByDescending(d => d.Attempts).ToList(),
                attempts.Where(a => a.LeavesTheMachine).Select(a => a.Line).Distinct(StringComparer.Ordinal).Take(50).ToList(),
                written.Where(f => f.StartsWith(TelemetryFolder, StringComparison.Ordinal)).ToList(),
                written);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(int Sent, int Accepted, IReadOnlyList<PageVisit> Pages, IReadOnlyList<string> Jobs)> ObserveConsoleAsync(
        ConnectionTrace trace, Dictionary<string, string> environment, string key, IReadOnlyDictionary<string, string> passwords, string state,
        AuditWebhook webhook, PrivacyAuditOptions options, TextWriter progress,
        CancellationToken cancellationToken)
    {
        await using var console = await AppInstanceProcess.StartAsync("privacy-audit", environment, options.StartTimeout, cancellationToken, start =>
        {
            // Whatever the machine's environment says, the console must keep ONNX Runtime quiet by itself.
            start.Environment.Remove(Engine.OnnxRuntimeTelemetry.DisableVariable);
            trace.Wrap(start);
        });

        using var api = new HttpClient { BaseAddress = console.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        var texts = LabelledTicketCsv.Read(AppPaths.Bundled("data/tenant/golden-set.csv"), requireCategory: false).Select(r => r.Text).ToList();

        // One ticket first, for its id (the ticket page); then the load.
        using var first = await api.PostAsJsonAsync("/api/v1/tickets", IngestLoad.Ticket("privacy-audit-first", 0, texts), cancellationToken);
        first.EnsureSuccessStatusCode();
        var firstTicket = await first.Content.ReadFromJsonAsync<TicketView>(cancellationToken)
                          ?? throw new InvalidOperationException("the console answered the first ticket with an empty body");
        progress.WriteLine($"sending {options.Tickets} tickets ...");
        var load = await IngestLoad.RunAsync(_ => api, "privacy-audit", texts, options.Tickets, concurrency: 8, TimeSpan.FromMinutes(5), cancellationToken);

        progress.WriteLine("fetching every page as every role ...");
        var pages = new List<PageVisit>();
        using (var anonymous = NewBrowserClient(console.BaseUrl))
        {
            pages.Add(await VisitAsync(anonymous, "anonymous", "/account/login", cancellationToken));
        }

        AuditSamples samples;
        using (var manager = NewBrowserClient(console.BaseUrl))
        {
            await SignInAsync(manager, "manager@demo.example", passwords["manager"], cancellationToken);
            samples = new AuditSamples(firstTicket.Id, firstTicket.CustomerId, await FirstArticleIdAsync(manager, cancellationToken));
        }

        foreach (var role in Roles)
        {
            using var client = NewBrowserClient(console.BaseUrl);
            await SignInAsync(client, $"{role}@demo.example", passwords[role], cancellationToken);
            foreach (var path in PagePaths(samples))
            {
                pages.Add(await VisitAsync(client, role, path, cancellationToken));
            }
        }

        if (options.WhileRunning is { } more)
        {
            await more(new PrivacyAuditSession(console.BaseUrl, Roles.ToDictionary(r => r, r => ($"{r}@demo.example", passwords[r])), pages), cancellationToken);
        }

        progress.WriteLine("waiting for a background job and the reply deliveries ...");
        var jobs = await WaitForJobsAsync(Path.Combine(state, "supportconsole.db"), options.JobTimeout, cancellationToken);
        var clock = Stopwatch.StartNew();
        while (webhook.Deliveries == 0 && clock.Elapsed < options.JobTimeout)
        {
            await Task.Delay(250, cancellationToken);
        }

        progress.WriteLine("stopping the console ...");
        ConnectionTrace.TerminateTracees(console.ProcessId);
        if (!await console.WaitForExitAsync(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"the console did not stop within 60 s of SIGTERM:\n{console.RecentOutput}");
        }

        return (load.Sent + 1, load.Accepted + 1, pages, jobs);
    }

    /// <summary>The model cache of the installation the audit runs from (the same defaults and variables as the console).</summary>
    private static string InstallationModelCache() =>
        new ModelOptions { CacheDirectory = Environment.GetEnvironmentVariable("Models__CacheDirectory") }
            .ResolveCacheDirectory(new Data.DatabaseOptions().ResolveDataDirectory());

    private static async Task<int> RunRouterPredictAsync(ConnectionTrace trace, Dictionary<string, string> environment, string root,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet",
        [
            typeof(PrivacyAudit).Assembly.Location, "router", "predict", "--model", AppPaths.Bundled("models/router"),
            "--input", AppPaths.Bundled("data/tenant/golden-set.csv"), "--out", Path.Combine(root, "predictions.jsonl"),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment.Remove(Engine.OnnxRuntimeTelemetry.DisableVariable);
        trace.Wrap(start);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"router predict failed ({process.ExitCode}): {(await error).Trim()} {(await output).Trim()}");
        }

        return process.ExitCode;
    }

    private static HttpClient NewBrowserClient(Uri baseUrl) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };

    private static async Task<PageVisit> VisitAsync(HttpClient client, string role, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(path, cancellationToken);
            return new PageVisit(role, path, (int)response.StatusCode);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{path} as {role} did not answer within {client.Timeout.TotalSeconds:0} s", e);
        }
    }

    /// <summary>Through the sign-in form, as a person would (its antiforgery token included).</summary>
    private static async Task SignInAsync(HttpClient client, string email, string password, CancellationToken cancellationToken)
    {
        using var page = await client.GetAsync("/account/login", cancellationToken);
        var form = page.IsSuccessStatusCode ? await page.Content.ReadAsStringAsync(cancellationToken)
            : throw new InvalidOperationException($"the sign-in page answered {(int)page.StatusCode}");
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(form).Groups[1].Value,
        }), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/")
        {
            throw new InvalidOperationException($"the audit could not sign in as {email} ({(int)response.StatusCode} {response.Headers.Location})");
        }
    }

    private static async Task<string> FirstArticleIdAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync("/knowledge", cancellationToken);
        var list = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken)
            : throw new InvalidOperationException($"the knowledge base page answered {(int)response.StatusCode} to a manager");
        return ArticleLink().Match(list) is { Success: true } link ? link.Groups[1].Value
            : throw new InvalidOperationException("the knowledge base page lists no article to open");
    }

    private static async Task<IReadOnlyList<string>> WaitForJobsAsync(string database, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using (var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False"))
            {
                await connection.OpenAsync(cancellationToken);
                // SQL by hand: a read-only look into the audited process's file while it runs, without a second model or migrations check.
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT Kind FROM JobRuns WHERE State = 'Succeeded' ORDER BY CreatedAt";
                var kinds = new List<string>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    kinds.Add(reader.GetString(0));
                }

                if (kinds.Count > 0)
                {
                    return kinds;
                }
            }

            if (clock.Elapsed > timeout)
            {
                return [];
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("href=\"/?knowledge/([^\"/?#]+)\"")]
    private static partial Regex ArticleLink();
}

/// <summary>Values for the parameterised pages: a ticket the audit created, a demo customer, a knowledge-base article.</summary>
public sealed record AuditSamples(Guid TicketId, string CustomerId, string ArticleId);

/// <summary>The audit's own reply webhook on 127.0.0.1: answers 200 and counts deliveries.</summary>
internal sealed class AuditWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _deliveries;

    private AuditWebhook(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Deliveries => Volatile.Read(ref _deliveries);

    public static async Task<AuditWebhook> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var webhook = new AuditWebhook(app);
        app.MapPost("/replies", () =>
        {
            Interlocked.Increment(ref webhook._deliveries);
            return TypedResults.Ok();
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        webhook.Url = new Uri(new Uri(address), "/replies");
        return webhook;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
