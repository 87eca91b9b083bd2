using Bunit;
using SupportConsole.Components.Pages.Tickets.Components;

namespace SupportConsole.Tests.Components;

public sealed class DraftEditorTests : MudTestContext
{
    private const string Draft = "Hi Ada,\n\nCards usually arrive in 3 to 5 working days.\n\nNorthwind Bank Support";

    [Fact]
    public void ApprovingSendsTheDraftAsWritten()
    {
        string? sent = null;
        var cut = Render<DraftEditor>(p => p
            .Add(x => x.OriginalText, Draft).Add(x => x.CanAct, true).Add(x => x.CanReject, true)
            .Add(x => x.OnSend, text => sent = text));

        var send = cut.Find("[data-testid=send-button]");
        Assert.Contains("Approve and send", send.TextContent);
        send.Click();

        Assert.Equal(Draft, sent);
        Assert.Empty(cut.FindAll("[data-testid=draft-diff]"));
    }

    [Fact]
    public void EditingShowsTheChangesAndSendsTheEditedText()
    {
        string? sent = null;
        var cut = Render<DraftEditor>(p => p
            .Add(x => x.OriginalText, Draft).Add(x => x.CanAct, true).Add(x => x.CanReject, true)
            .Add(x => x.OnSend, text => sent = text));

        var edited = Draft.Replace("3 to 5", "2 to 4");
        cut.Find("textarea").Input(edited);

        cut.WaitForAssertion(() => Assert.Contains("Send edited reply", cut.Find("[data-testid=send-button]").TextContent));
        var diff = cut.Find("[data-testid=draft-diff]");
        Assert.Contains("3", diff.QuerySelector(".diff-removed")!.TextContent);
        Assert.Contains("2", diff.QuerySelector(".diff-added")!.TextContent);
        cut.Find("[data-testid=send-button]").Click();
        Assert.Equal(edited, sent);
    }

    [Fact]
    public void RejectingNeedsAReasonBeforeAnythingHappens()
    {
        string? reason = null;
        var cut = Render<DraftEditor>(p => p
            .Add(x => x.OriginalText, Draft).Add(x => x.CanAct, true).Add(x => x.CanReject, true)
            .Add(x => x.OnReject, r => reason = r));

        cut.Find("[data-testid=reject-button]").Click();
        var confirm = cut.Find("[data-testid=confirm-reject]");
        Assert.True(confirm.HasAttribute("disabled"));

        Input(cut, "reject-reason").Input("Wrong intent: this is about a refund");
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=confirm-reject]").HasAttribute("disabled")));
        cut.Find("[data-testid=confirm-reject]").Click();

        Assert.Equal("Wrong intent: this is about a refund", reason);
        Assert.Empty(cut.FindAll("[data-testid=confirm-reject]"));
    }

    [Fact]
    public void WithoutADraftTheAgentWritesTheReplyAndTheButtonSaysSendReply()
    {
        string? sent = null;
        var cut = Render<DraftEditor>(p => p.Add(x => x.OriginalText, null).Add(x => x.CanAct, true).Add(x => x.OnSend, text => sent = text));

        Assert.Contains("no draft", cut.Find("[data-testid=no-draft]").TextContent);
        Assert.True(cut.Find("[data-testid=send-button]").HasAttribute("disabled"));
        cut.Find("textarea").Input("We are open 9 to 5.");

        cut.WaitForAssertion(() => Assert.Equal("Send reply", cut.Find("[data-testid=send-button]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=draft-diff]"));
        cut.Find("[data-testid=send-button]").Click();
        Assert.Equal("We are open 9 to 5.", sent);
    }

    [Fact]
    public void ANewDraftDoesNotWipeWhatTheAgentWrote()
    {
        string? sent = null;
        var cut = Render<DraftEditor>(p => p.Add(x => x.OriginalText, Draft).Add(x => x.CanAct, true).Add(x => x.OnSend, text => sent = text));
        cut.Find("textarea").Input("My own words for the customer.");

        // The customer wrote again and the engine drafted anew while the agent was typing.
        cut.Render(p => p.Add(x => x.OriginalText, "Hi Ada, a new draft."));
        cut.Find("[data-testid=send-button]").Click();

        Assert.Equal("My own words for the customer.", sent);
    }

    [Fact]
    public void SendAndNextSendsTheTextToItsOwnCallback()
    {
        string? next = null;
        var cut = Render<DraftEditor>(p => p.Add(x => x.OriginalText, Draft).Add(x => x.CanAct, true).Add(x => x.OnSendAndNext, text => next = text));

        cut.Find("[data-testid=send-next-button]").Click();

        Assert.Equal(Draft, next);
    }

    [Fact]
    public void AnsweredTicketOffersNoActions()
    {
        var cut = Render<DraftEditor>(p => p.Add(x => x.OriginalText, Draft).Add(x => x.CanAct, false));

        Assert.Empty(cut.FindAll("[data-testid=send-button]"));
        Assert.True(cut.Find("textarea").HasAttribute("disabled"));
    }
}
