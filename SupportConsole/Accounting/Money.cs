using System.Globalization;

namespace SupportConsole.Accounting;

/// <summary>
/// Money as every page, chart and export shows it (integer nano-dollars inside, USD outside): totals in dollars and
/// cents; amounts per ticket (a few millionths of a dollar for local work) in one fixed, labelled unit, dollars per
/// 1,000 tickets, instead of cents one day and micro-dollars the next.
/// </summary>
public static class Money
{
    /// <summary>The unit of per-ticket amounts, for labels and column headers.</summary>
    public const string PerThousandTicketsUnit = "$ per 1,000 tickets";

    public static decimal Usd(long nanos) => nanos / 1_000_000_000m;

    public static string Format(long nanos) => Format(Usd(nanos));

    /// <summary>Dollars and cents; an amount that rounds to no cent but is not nothing says so.</summary>
    public static string Format(decimal usd) => usd switch
    {
        0m => "$0.00",
        > 0m and < 0.005m => "< $0.01",
        < 0m and > -0.005m => "> -$0.01",
        _ => usd.ToString("$#,##0.00;-$#,##0.00", CultureInfo.InvariantCulture),
    };

    /// <summary>A per-ticket amount as dollars per 1,000 tickets (cents from a dollar up, else three significant digits), unit included.</summary>
    public static string PerThousandTickets(decimal usdPerTicket) => PerThousand(usdPerTicket) + " per 1,000 tickets";

    /// <summary>The same without the unit, for a cell under a header that names it.</summary>
    public static string PerThousand(decimal usdPerItem)
    {
        var perThousand = usdPerItem * 1000m;
        return Math.Abs(perThousand) >= 1m || perThousand == 0m
            ? perThousand.ToString("$#,##0.00;-$#,##0.00", CultureInfo.InvariantCulture)
            : "$" + Significant(perThousand, 3).ToString("0.##########", CultureInfo.InvariantCulture);
    }

    /// <summary>A number as a CSV cell shows it: at most six significant digits, no exponent, no trailing zeros.</summary>
    public static string Csv(decimal value) => Significant(value, CsvSignificantDigits).ToString("0." + new string('#', 28), CultureInfo.InvariantCulture);

    public const int CsvSignificantDigits = 6;

    /// <summary>Rounded to <paramref name="digits"/> significant digits (CSV cells keep at most six).</summary>
    public static decimal Significant(decimal value, int digits)
    {
        if (value == 0m)
        {
            return 0m;
        }

        var magnitude = (int)Math.Floor(Math.Log10((double)Math.Abs(value)));
        var decimals = digits - 1 - magnitude;
        if (decimals >= 0)
        {
            return Math.Round(value, Math.Min(decimals, 28), MidpointRounding.AwayFromZero);
        }

        var scale = (decimal)Math.Pow(10, -decimals);
        return Math.Round(value / scale, MidpointRounding.AwayFromZero) * scale;
    }
}
