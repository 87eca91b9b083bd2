using SupportConsole.Accounting;

namespace SupportConsole.Tests.Reporting;

/// <summary>One money format: totals in dollars and cents, per-ticket amounts per 1,000 tickets, CSV at most six significant digits.</summary>
public sealed class MoneyTests
{
    [Theory]
    [InlineData("0", "$0.00")]
    [InlineData("0.004", "< $0.01")]
    [InlineData("0.005", "$0.01")]
    [InlineData("12.345", "$12.35")]
    [InlineData("1234567.891", "$1,234,567.89")]
    [InlineData("-3.5", "-$3.50")]
    public void TotalsAreDollarsAndCents(string usd, string shown) => Assert.Equal(shown, Money.Format(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("0.0004123", "$0.412 per 1,000 tickets")]
    [InlineData("0.000004123", "$0.00412 per 1,000 tickets")]
    [InlineData("0.048", "$48.00 per 1,000 tickets")]
    [InlineData("0", "$0.00 per 1,000 tickets")]
    public void PerTicketAmountsAreShownPerThousandTicketsWhateverTheirSize(string usdPerTicket, string shown) =>
        Assert.Equal(shown, Money.PerThousandTickets(decimal.Parse(usdPerTicket, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("0.000000412345678", "0.000000412346")]
    [InlineData("123.456789", "123.457")]
    [InlineData("1234567.89", "1234570")]
    [InlineData("0.5", "0.5")]
    public void CsvCellsKeepAtMostSixSignificantDigits(string value, string cell) =>
        Assert.Equal(cell, Money.Csv(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
}
