using Bunit;
using Microsoft.AspNetCore.Components;
using SupportConsole.Components.Shared;
using SupportConsole.Reporting;

namespace SupportConsole.Tests.Components;

public sealed class ReportFilterBarTests : MudTestContext
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    [Fact]
    public void APresetPutsItsRangeInTheAddressAndKeepsTheChannel()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/costs?from=2026-10-01&to=2026-10-31&channel=chat");
        var cut = Render<ReportFilterBar>(p => p
            .Add(x => x.Filter, new ReportFilter(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31), "chat"))
            .Add(x => x.Channels, new[] { "chat", "email" })
            .Add(x => x.Today, Today));

        cut.Find("[data-testid=preset-7]").Click();

        // The click's handler may finish after Click returns: wait for the address to change.
        cut.WaitForAssertion(() =>
        {
            var uri = new Uri(navigation.Uri);
            Assert.Equal("/costs", uri.AbsolutePath);
            Assert.Contains("from=2026-11-25", uri.Query);
            Assert.Contains("to=2026-12-01", uri.Query);
            Assert.Contains("channel=chat", uri.Query);
        });
    }

    [Fact]
    public void TheActivePresetIsHighlightedAndTheRangeDescribed()
    {
        var cut = Render<ReportFilterBar>(p => p.Add(x => x.Filter, ReportFilter.LastDays(30, Today)).Add(x => x.Today, Today));

        Assert.Contains("mud-button-filled", cut.Find("[data-testid=preset-30]").ClassName);
        Assert.DoesNotContain("mud-button-filled", cut.Find("[data-testid=preset-7]").ClassName);
        Assert.Equal("2 Nov 2026 to 1 Dec 2026, all channels", cut.Find("[data-testid=filter-description]").TextContent);
    }
}
