using Bunit;
using SupportConsole.Components.Pages.Admin.Components;

namespace SupportConsole.Tests.Components;

public sealed class KillSwitchControlTests : MudTestContext
{
    [Fact]
    public void FlippingAsksForConfirmationAndAReason()
    {
        (bool Engage, string Reason)? confirmed = null;
        var cut = Render<KillSwitchControl>(p => p.Add(x => x.Engaged, false).Add(x => x.OnConfirmed, c => confirmed = c));

        cut.Find("[data-testid=kill-switch-toggle]").Click();

        Assert.Null(confirmed);
        Assert.True(cut.Find("[data-testid=kill-switch-confirm-button]").HasAttribute("disabled"));
        Input(cut, "kill-switch-reason").Input("Bad answers about fees since the price change");
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=kill-switch-confirm-button]").HasAttribute("disabled")));
        cut.Find("[data-testid=kill-switch-confirm-button]").Click();

        Assert.Equal((true, "Bad answers about fees since the price change"), confirmed);
        Assert.Empty(cut.FindAll("[data-testid=kill-switch-confirm]"));
    }

    [Fact]
    public void CancellingChangesNothing()
    {
        var raised = false;
        var cut = Render<KillSwitchControl>(p => p.Add(x => x.Engaged, true).Add(x => x.OnConfirmed, _ => raised = true));

        Assert.Contains("Resume", cut.Find("[data-testid=kill-switch-toggle]").TextContent);
        cut.Find("[data-testid=kill-switch-toggle]").Click();
        cut.Find("[data-testid=kill-switch-cancel]").Click();

        Assert.False(raised);
        Assert.NotEmpty(cut.FindAll("[data-testid=kill-switch-toggle]"));
    }
}
