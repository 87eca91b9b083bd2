using Bunit;
using Microsoft.Extensions.Options;
using SupportConsole.Administration;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Components;

/// <summary>The Bands page's what-if numbers, from the shipped router on the demo golden set, as the slider moves.</summary>
public sealed class BandRowTests : MudTestContext
{
    [Fact]
    public void MovingTheAutoThresholdUpdatesTheGoldenSetNumbers()
    {
        var router = TestModels.LoadShippedRouter();
        using var dispose = router as IDisposable;
        var whatIfs = new GoldenSetWhatIf(router, Options.Create(new DatabaseOptions
        {
            TenantDirectory = Path.Combine(RepositoryPaths.Root, "data", "tenant"),
        }));
        var expectedLoose = whatIfs.For("activate_my_card", null, 0.985);
        var cut = Render<BandRowHost>(p => p
            .Add(x => x.Policy, new IntentPolicyEdit("activate_my_card", ConfidenceBand.Auto, 0.5, null))
            .Add(x => x.WhatIfs, whatIfs));

        var cell = cut.Find("[data-testid=what-if-activate_my_card]");
        Assert.Contains($"{expectedLoose.AutoResolved} of {expectedLoose.Tickets} auto", cell.TextContent);
        Assert.True(expectedLoose.AutoResolved > 0);

        Input(cut, "auto-threshold-activate_my_card").Input("1");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("1.00", cut.Find("[data-testid=auto-threshold-value-activate_my_card]").TextContent.Trim());
            Assert.Contains($"0 of {expectedLoose.Tickets} auto", cut.Find("[data-testid=what-if-activate_my_card]").TextContent);
        });
    }
}
