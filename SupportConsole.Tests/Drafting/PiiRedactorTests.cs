using SupportConsole.Engine.Drafting;

namespace SupportConsole.Tests.Drafting;

public sealed class PiiRedactorTests
{
    private static readonly CustomerIdentity Ada = new("Ada Lovelace", "ada@example.com", "+44 7700 900123", "4821", "GB29NWBK60161331926819");

    [Theory]
    [InlineData("mail me at ada.l@example.com please", "mail me at [EMAIL] please")]
    [InlineData("call +44 7700 900123 tomorrow", "call [PHONE] tomorrow")]
    [InlineData("my number is 07700 900123.", "my number is [PHONE].")]
    [InlineData("my card 4111 1111 1111 1111 was charged", "my card [CARD] was charged")]
    [InlineData("IBAN GB29 NWBK 6016 1331 9268 19 is mine", "IBAN [ACCOUNT] is mine")]
    [InlineData("sort code 60-16-13 account 31926819", "sort code [ACCOUNT] [ACCOUNT]")]
    public void PersonalDataIsReplacedByItsKind(string text, string expected) =>
        Assert.Equal(expected, PiiRedactor.Redact(text, null).Text);

    [Fact]
    public void TheCustomersOwnNamesAreRedacted()
    {
        var result = PiiRedactor.Redact("This is Ada Lovelace; lovelace is my surname and ADA my name.", Ada);

        Assert.Equal("This is [NAME]; [NAME] is my surname and [NAME] my name.", result.Text);
        Assert.Equal(3, result.Counts[PiiRedactor.Name]);
    }

    [Theory]
    [InlineData("I paid £1,200.50 on 2026-11-02 for 3 items")]
    [InlineData("Transfer of 250 EUR took 5 days")]
    [InlineData("card ending 4821 declined")]
    [InlineData("4111 1111 1111 1112 is not a valid card number")]
    public void AmountsDatesAndShortNumbersAreKept(string text) =>
        Assert.Equal(text, PiiRedactor.Redact(text, Ada).Text.Replace("[NAME]", "Ada"));
}
