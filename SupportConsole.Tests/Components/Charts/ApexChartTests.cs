using Bunit;
using SupportConsole.Components.Shared.Charts;

namespace SupportConsole.Tests.Components.Charts;

/// <summary>The chart component's life: the module creates the chart once, updates it when the options change, destroys it on disposal.</summary>
public sealed class ApexChartTests : MudTestContext
{
    [Fact]
    public async Task ItCreatesTheChartOnceUpdatesItWhenTheOptionsChangeAndDestroysItWhenDisposed()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        var module = JSInterop.SetupModule(ApexChart.ModulePath);
        var handle = module.SetupModule("create", _ => true);
        handle.SetupVoid("update", _ => true).SetVoidResult();
        handle.SetupVoid("destroy").SetVoidResult();
        var first = DashboardCharts.Pareto([new SupportConsole.Reporting.ParetoPoint(0.1, 1, 0.5)]);
        var second = DashboardCharts.Pareto([new SupportConsole.Reporting.ParetoPoint(0.1, 1, 0.7)]);

        var cut = Render<ApexChart>(p => p.Add(x => x.Options, first).Add(x => x.TestId, "chart"));

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=chart]").GetAttribute("data-chart-ready")));
        var created = Assert.Single(module.Invocations["create"]);
        Assert.Equal(first.ToJson(), created.Arguments[1]);

        cut.Render(p => p.Add(x => x.Options, first));
        Assert.Empty(handle.Invocations["update"]);

        cut.Render(p => p.Add(x => x.Options, second));
        cut.WaitForAssertion(() => Assert.Equal(second.ToJson(), Assert.Single(handle.Invocations["update"]).Arguments[0]));
        Assert.Single(module.Invocations["create"]);
        Assert.Empty(handle.Invocations["destroy"]);

        await cut.Instance.DisposeAsync();
        Assert.Single(handle.Invocations["destroy"]);
    }
}
