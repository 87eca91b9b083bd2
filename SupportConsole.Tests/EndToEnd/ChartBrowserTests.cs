using System.Globalization;
using Microsoft.Playwright;
using SupportConsole.Administration;
using SupportConsole.Data.Entities;
using SupportConsole.Identity;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.EndToEnd;

/// <summary>
/// The dashboards' ApexCharts in headless Chromium on a year of simulated traffic: every chart draws its series, a
/// hover shows the exact value, the 30- and 365-day axes keep their labels apart, a kill-switch flip appears on the
/// timeline, and the pages read at 390 px. Screenshots go with the other browser tests'.
/// </summary>
public sealed class ChartBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task EveryDashboardChartDrawsItsSeriesWithTooltipsReadableAxesAndTheTimelineAnnotated()
    {
        using var state = new TemporaryDirectory();
        var (code, _, error) = await CommandLine.Run("simulate", "--days", "365", "--tickets", "500", "--customers", "40", "--seed", "11",
            "--texts", Path.Combine(RepositoryPaths.Root, "data", "banking77", "test.csv"), "--data-dir", state.Path);
        Assert.True(code == 0, error);
        using var app = new AppFactory(stateDirectory: state.Path, sqliteOnly: true);
        app.StartServer();
        await JobWaits.RunAsync(app, JobKinds.GoldenEvaluation);
        await app.Services.GetRequiredService<KillSwitch>().SetAsync(true, ConsoleActor.System("admin@demo.example"), "browser test: bad answers about fees");
        await JobWaits.RunAsync(app, JobKinds.GoldenEvaluation);

        var today = DateTime.UtcNow.Date;
        string Range(int days) => $"from={today.AddDays(1 - days):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
        var page = await ConsolePage.SignInAsync(browser.Browser, app, "manager", $"/costs?{Range(365)}");

        // A year: stacked local/cloud bars per month, labels apart, a hover with the exact value.
        var spend = await ChartAsync(page, "cost-chart");
        Assert.Equal(2, await spend.Locator(".apexcharts-bar-series .apexcharts-series").CountAsync());
        await AssertTickLabelsApartAsync(spend, "365 days");
        await ConsolePage.ScreenshotAsync(page, "charts-costs-365-days");

        // Hovering the per-ticket line shows the exact value of the period under the pointer.
        var perTicket = await ChartAsync(page, "cost-per-ticket-chart");
        await perTicket.ScrollIntoViewIfNeededAsync();
        var grid = (await perTicket.Locator(".apexcharts-grid").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(grid.X + 5, grid.Y + (grid.Height / 2));
        await page.Mouse.MoveAsync(grid.X + (grid.Width * 0.6f), grid.Y + (grid.Height / 2), new MouseMoveOptions { Steps = 8 });
        var tooltip = perTicket.Locator(".apexcharts-tooltip.apexcharts-active");
        await tooltip.WaitForAsync();
        Assert.Contains("per 1,000 tickets", await tooltip.InnerTextAsync());
        Assert.Equal(1, await perTicket.Locator(".apexcharts-line-series .apexcharts-series").CountAsync());
        Assert.True(await (await ChartAsync(page, "stage-chart")).Locator(".apexcharts-pie-series").CountAsync() >= 3);
        await AssertDarkTextAsync(spend);

        // Thirty days: a bar per day, labels apart, and the kill switch engaged today on the timeline.
        await ConsolePage.GoAsync(page, $"/costs?{Range(30)}");
        spend = await ChartAsync(page, "cost-chart");
        await AssertTickLabelsApartAsync(spend, "30 days");
        await spend.Locator(".apexcharts-xaxis-annotations").GetByText("Kill switch engaged").WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "charts-costs-30-days");

        await ConsolePage.GoAsync(page, $"/deflection?{Range(30)}");
        var bands = await ChartAsync(page, "band-chart");
        Assert.Equal(3, await bands.Locator(".apexcharts-bar-series .apexcharts-series").CountAsync());
        await bands.Locator(".apexcharts-xaxis-annotations").GetByText("Kill switch engaged").WaitForAsync();
        var share = await ChartAsync(page, "auto-share-chart");
        await share.Locator(".apexcharts-xaxis-annotations").GetByText("Kill switch engaged").WaitForAsync();
        Assert.Equal(3, await (await ChartAsync(page, "band-mix-chart")).Locator(".apexcharts-pie-series").CountAsync());
        await ConsolePage.ScreenshotAsync(page, "charts-deflection");

        await ConsolePage.GoAsync(page, $"/costs/customers?{Range(90)}");
        Assert.Equal(1, await (await ChartAsync(page, "pareto-chart")).Locator(".apexcharts-bar-series .apexcharts-series").CountAsync());
        await ConsolePage.ScreenshotAsync(page, "charts-customers");
        await page.Locator("[data-testid=customer-link]").First.ClickAsync();
        Assert.Equal(2, await (await ChartAsync(page, "customer-chart")).Locator(".apexcharts-bar-series .apexcharts-series").CountAsync());
        await ConsolePage.ScreenshotAsync(page, "charts-customer");

        await ConsolePage.GoAsync(page, "/evaluations");
        var trend = await ChartAsync(page, "evaluation-trend");
        Assert.Equal(5, await trend.Locator(".apexcharts-line-series .apexcharts-series").CountAsync());
        await trend.Locator(".apexcharts-xaxis-annotations").GetByText("Kill switch engaged").WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "charts-evaluations");

        // A phone: 390 px wide, the legend under the chart, labels still apart.
        await page.SetViewportSizeAsync(390, 844);
        await ConsolePage.GoAsync(page, $"/costs?{Range(30)}");
        spend = await ChartAsync(page, "cost-chart");
        await AssertTickLabelsApartAsync(spend, "30 days at 390 px");
        Assert.True((await spend.BoundingBoxAsync())!.Width <= 390, "the chart is wider than the phone");
        await ConsolePage.ScreenshotAsync(page, "charts-costs-390px");
    }

    /// <summary>The chart's container once ApexCharts has drawn into it.</summary>
    private static async Task<ILocator> ChartAsync(IPage page, string testId)
    {
        var chart = page.Locator($"[data-testid={testId}][data-chart-ready=true]");
        await chart.Locator("svg.apexcharts-svg").WaitForAsync();
        return chart;
    }

    /// <summary>At least three x-axis labels, none of whose boxes overlap the next one's.</summary>
    private static async Task AssertTickLabelsApartAsync(ILocator chart, string what)
    {
        var labels = chart.Locator(".apexcharts-xaxis-texts-g text");
        var boxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i < await labels.CountAsync(); i++)
        {
            if (await labels.Nth(i).BoundingBoxAsync() is { Width: > 0 } box && ((await labels.Nth(i).TextContentAsync()) ?? string.Empty).Trim().Length > 0)
            {
                boxes.Add(box);
            }
        }

        Assert.True(boxes.Count >= 3, $"{what}: only {boxes.Count} x-axis labels");
        var ordered = boxes.OrderBy(b => b.X).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i - 1].X + ordered[i - 1].Width <= ordered[i].X + 0.5,
                string.Create(CultureInfo.InvariantCulture, $"{what}: label {i - 1} ends at {ordered[i - 1].X + ordered[i - 1].Width:0.0} px, label {i} starts at {ordered[i].X:0.0} px"));
        }
    }

    /// <summary>Axis text at WCAG AA contrast (4.5:1) on the white page.</summary>
    private static async Task AssertDarkTextAsync(ILocator chart)
    {
        var fill = await chart.Locator(".apexcharts-xaxis-texts-g text").First.EvaluateAsync<string>("t => getComputedStyle(t).fill");
        var rgb = fill.Split('(', ')')[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture) / 255).ToArray();
        static double Linear(double c) => c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        var luminance = (0.2126 * Linear(rgb[0])) + (0.7152 * Linear(rgb[1])) + (0.0722 * Linear(rgb[2]));
        var contrast = 1.05 / (luminance + 0.05);
        Assert.True(contrast >= 4.5, $"axis text {fill} has contrast {contrast:0.0}:1 on white");
    }
}
