using SupportConsole.Operations.Privacy;
using SupportConsole.Tests.EndToEnd;

namespace SupportConsole.Tests.Operations.Privacy;

/// <summary>
/// "Nothing leaves the building", checked the way an operator would: the real console as its own process under
/// strace (Kestrel, SQLite, jobs, router, retrieval), tickets through the API, every page per role in Chromium, a
/// background job, then <c>router predict</c>; every connection attempt must stay on the machine.
/// </summary>
public sealed class PrivacyAuditTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string SignInPath = "/account/login";

    [Fact]
    public async Task TheConsoleItsPagesAJobAndRouterPredictConnectToNothingButThisMachine()
    {
        var visited = new List<(string Role, string Path, string Url)>();
        var browserRequests = new List<string>();
        var options = new PrivacyAuditOptions(120, [], TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3))
        {
            WhileRunning = async (session, _) =>
            {
                foreach (var (role, (email, password)) in session.Accounts)
                {
                    var page = await ConsolePage.SignInWithPasswordAsync(browser.Browser, session.BaseUrl, email, password);
                    page.Context.Request += (_, request) => browserRequests.Add(request.Url);
                    try
                    {
                        // The pages this role may open (the others answer 403 before any circuit starts); sign-in is static.
                        foreach (var path in session.Pages.Where(p => p.Role == role && p.Status == 200 && p.Path != SignInPath).Select(p => p.Path))
                        {
                            try
                            {
                                await page.GotoAsync(path);
                                await ConsolePage.WaitForCircuitAsync(page);
                            }
                            catch (TimeoutException e)
                            {
                                throw new TimeoutException($"{path} as {role} (now at {page.Url}) did not connect its circuit", e);
                            }

                            visited.Add((role, path, page.Url));
                        }
                    }
                    finally
                    {
                        await page.Context.CloseAsync();
                    }
                }
            },
        };

        var report = await PrivacyAudit.RunAsync(options, TextWriter.Null, CancellationToken.None);

        Assert.True(report.ObserverWorked, $"the trace saw {report.WebhookAttemptsSeen} connections to the webhook that got {report.WebhookDeliveries} replies");
        Assert.Empty(report.LeftTheMachine);
        Assert.Equal(0, report.ByKind[ConnectionKind.NameLookup]);
        Assert.Equal(0, report.ByKind[ConnectionKind.External]);
        Assert.Empty(report.TelemetryFiles);
        Assert.Equal(report.TicketsSent, report.TicketsAccepted);
        Assert.Contains("golden-evaluation", report.JobsSucceeded);
        Assert.Equal(0, report.RouterPredictExitCode);
        Assert.All(report.Pages, p => Assert.True(p.Status < 500, $"{p.Role} {p.Path}: {p.Status}"));
        Assert.True(report.Passed);

        // Every page rendered in the browser for every role, and the browser fetched nothing from another machine.
        Assert.Equal(report.Pages.Count(p => p.Role != "anonymous" && p.Status == 200 && p.Path != SignInPath), visited.Count);
        Assert.Equal(PrivacyAudit.PagePaths(new AuditSamples(Guid.Empty, "C0001", "a")).Count(p => p != SignInPath), visited.Count(v => v.Role == "admin"));
        Assert.All(visited, v => Assert.DoesNotContain("/account/login", v.Url, StringComparison.Ordinal));
        Assert.NotEmpty(browserRequests);
        Assert.DoesNotContain(browserRequests, BrowserNetwork.LeavesTheMachine);
    }
}
