using SupportConsole.Components.Pages.Tickets.Components;

namespace SupportConsole.Tests.Components;

/// <summary>"Correct the intent" finds intents as the agent types parts of their names.</summary>
public sealed class DecisionPanelTests
{
    private static readonly string[] Labels = ["card_arrival", "card_delivery_estimate", "lost_or_stolen_card", "top_up_failed", "top_up_reverted", "exchange_rate"];

    [Theory]
    [InlineData("card", new[] { "card_arrival", "card_delivery_estimate", "lost_or_stolen_card" })]
    [InlineData("top up", new[] { "top_up_failed", "top_up_reverted" })]
    [InlineData("stolen CARD", new[] { "lost_or_stolen_card" })]
    [InlineData("", new[] { "card_arrival", "card_delivery_estimate", "exchange_rate", "lost_or_stolen_card", "top_up_failed", "top_up_reverted" })]
    public void IntentsContainingEveryTypedWordAreOffered(string typed, string[] expected)
    {
        Assert.Equal(expected, DecisionPanel.Matching(Labels, typed));
    }
}
