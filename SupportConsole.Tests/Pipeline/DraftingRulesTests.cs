using SupportConsole.Engine.Drafting;
using SupportConsole.Engine.Gate;

namespace SupportConsole.Tests.Pipeline;

public sealed class DraftingRulesTests
{
    private static readonly CitedSection Section = new("card-delivery", "Card delivery and activation", "When will my card arrive?",
        "Your card usually arrives in 3 to 5 working days. You can track the delivery in the app.");

    private static readonly CustomerRecords Customer = new("C0001", "Ada Lovelace", "ada@example.com", null, "Plus", "4821", null,
    [
        new TransactionRecord("T1", new DateOnly(2026, 10, 30), "card_payment", "Tesco Metro", 23.40m, "GBP", "pending"),
        new TransactionRecord("T2", new DateOnly(2026, 10, 1), "top_up", "Top-up", 50m, "GBP", "completed"),
    ]);

    [Fact]
    public void TemplateSlotsAreFilledFromTheRecordsAndTheSection()
    {
        var template = Template("Your card ending {{customer.card_last4}} is on its way. {{section.body}}");

        var draft = TemplateDrafter.Fill(template, Section, Customer);

        Assert.StartsWith("Hi Ada,", draft.Text);
        Assert.Contains("Your card ending 4821 is on its way.", draft.Body);
        Assert.Contains("3 to 5 working days", draft.Body);
        Assert.Contains("Source: Card delivery and activation, \"When will my card arrive?\"", draft.Text);
        Assert.DoesNotContain("{{", draft.Text);
    }

    [Fact]
    public void TransactionSlotsUseTheLatestTransactionOfTheTemplateKinds()
    {
        var template = Template("Your payment to {{transaction.description}} of {{transaction.amount}} {{transaction.currency}} is {{transaction.status}}.",
            kinds: ["card_payment"]);

        var draft = TemplateDrafter.Fill(template, Section, Customer);

        Assert.Equal("Your payment to Tesco Metro of 23.40 GBP is pending.", draft.Body);
    }

    [Fact]
    public void SentenceWithAMissingValueIsLeftOut()
    {
        var template = Template("Your refund of {{transaction.amount}} is on its way. {{section.body}}", kinds: ["refund"]);

        var draft = TemplateDrafter.Fill(template, Section, Customer);

        Assert.DoesNotContain("refund", draft.Body);
        Assert.StartsWith("Your card usually arrives", draft.Body);
    }

    [Fact]
    public void GroundednessCountsSentencesSupportedByTheSources()
    {
        Assert.Equal(1.0, GroundednessScorer.Score("Your card usually arrives in 3 to 5 working days.", [Section.Body]));
        Assert.Equal(0.5, GroundednessScorer.Score("Your card usually arrives in 3 to 5 working days. We will refund every fee twice over.", [Section.Body]));
        Assert.Equal(0.0, GroundednessScorer.Score("Crypto staking yields guaranteed profits.", [Section.Body]));
    }

    [Theory]
    [InlineData("I will call my lawyer about this", true)]
    [InlineData("Lawyers are expensive", false)]
    [InlineData("my LAWYER says no", true)]
    public void HardRuleKeywordsMatchWholeWordsOnly(string text, bool fires)
    {
        var rule = new HardRuleDefinition("legal", "legal", "keywords", ["lawyer"], null);

        Assert.Equal(fires, HardRuleMatcher.Matches(text, [rule]).Count == 1);
    }

    [Theory]
    [InlineData("I want a refund of £250 now", true)]
    [InlineData("Please refund the 45 EUR you took", false)]
    [InlineData("refund $1,200.50 please", true)]
    [InlineData("I want a refund", false)]
    [InlineData("Where is my £300 transfer?", false)]
    public void AmountRulesNeedTheKeywordAndAnAmountAtTheMinimum(string text, bool fires)
    {
        var rule = new HardRuleDefinition("refund", "refund", "amount", ["refund"], 100m);

        Assert.Equal(fires, HardRuleMatcher.Matches(text, [rule]).Count == 1);
    }

    private static ReplyTemplateDefinition Template(string body, IReadOnlyList<string>? kinds = null) =>
        new("card_arrival", "card-delivery", "When will my card arrive?", "Hi {{customer.first_name}},", body, "Northwind Bank Support", kinds ?? []);
}
