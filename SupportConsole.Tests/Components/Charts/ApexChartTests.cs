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
        var chart = module.Setup<Microsoft.JSInterop.IJSObjectReference>("create", _ => true);
        var handle = new BunitJSObjectReferenceRecorder();
        chart.SetResult(handle);
        var first = DashboardCharts.Pareto([new SupportConsole.Reporting.ParetoPoint(0.1, 1, 0.5)]);
        var second = DashboardCharts.Pareto([new SupportConsole.Reporting.ParetoPoint(0.1, 1, 0.7)]);

        var cut = Render<ApexChart>(p => p.Add(x => x.Options, first).Add(x => x.TestId, "chart"));

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=chart]").GetAttribute("data-chart-ready")));
        var created = Assert.Single(module.Invocations["create"]);
        Assert.Equal(first.ToJson(), created.Arguments[1]);

        cut.Render(p => p.Add(x => x.Options, first));
        Assert.Empty(handle.Calls);

        cut.Render(p => p.Add(x => x.Options, second));
        cut.WaitForAssertion(() => Assert.Equal([("update", second.ToJson())], handle.Calls));
        Assert.Single(module.Invocations["create"]);

        await cut.Instance.DisposeAsync();
        Assert.Equal("destroy", handle.Calls[^1].Identifier);
    }

    /// <summary>The chart handle the module returns, recording what the component asks of it.</summary>
    private sealed class BunitJSObjectReferenceRecorder : Microsoft.JSInterop.IJSObjectReference
    {
        public List<(string Identifier, object? Argument)> Calls { get; } = [];

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => InvokeAsync<TValue>(identifier, CancellationToken.None, args);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
        {
            Calls.Add((identifier, args is { Length: > 0 } ? args[0] : null));
            return ValueTask.FromResult(default(TValue)!);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
