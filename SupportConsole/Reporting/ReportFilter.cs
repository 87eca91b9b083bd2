using System.Globalization;
using System.Text.RegularExpressions;

namespace SupportConsole.Reporting;

/// <summary>
/// What every dashboard and report endpoint filters on: decision days <see cref="From"/> to <see cref="To"/>, both
/// inclusive (UTC), and optionally one channel.
/// </summary>
public sealed partial record ReportFilter(DateOnly From, DateOnly To, string? Channel)
{
    public const string DateFormat = "yyyy-MM-dd";
    public const int DefaultDays = 30;
    public const int MaxDays = 3_660;

    public int Days => To.DayNumber - From.DayNumber + 1;

    public static ReportFilter LastDays(int days, DateOnly today, string? channel = null) => new(today.AddDays(1 - days), today, channel);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Parses query values; a missing date defaults to the last 30 days up to today. Errors are keyed by parameter.</summary>
    public static bool TryParse(string? from, string? to, string? channel, DateOnly today, out ReportFilter filter,
        out Dictionary<string, string[]> errors)
    {
        errors = [];
        var end = today;
        if (!string.IsNullOrWhiteSpace(to) && !DateOnly.TryParseExact(to.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out end))
        {
            errors["to"] = [$"'{to}' is not a date in the form {DateFormat}"];
            end = today;
        }

        var start = DefaultStart(end);
        if (!string.IsNullOrWhiteSpace(from) && !DateOnly.TryParseExact(from.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out start))
        {
            errors["from"] = [$"'{from}' is not a date in the form {DateFormat}"];
            start = DefaultStart(end);
        }

        if (errors.Count == 0 && start > end)
        {
            errors["from"] = [$"from ({start.ToString(DateFormat, CultureInfo.InvariantCulture)}) is after to ({end.ToString(DateFormat, CultureInfo.InvariantCulture)})"];
        }
        else if (errors.Count == 0 && end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            errors["from"] = [$"the range is longer than {MaxDays} days"];
        }

        var normalizedChannel = string.IsNullOrWhiteSpace(channel) ? null : channel.Trim();
        if (normalizedChannel is not null && !ChannelPattern().IsMatch(normalizedChannel))
        {
            errors["channel"] = ["must be lower-case letters, digits or dashes (e.g. email, chat, api)"];
        }

        filter = new ReportFilter(start, end, normalizedChannel);
        return errors.Count == 0;
    }

    /// <summary>The filter as query parameters (no leading '?').</summary>
    public string ToQuery() =>
        $"from={From.ToString(DateFormat, CultureInfo.InvariantCulture)}&to={To.ToString(DateFormat, CultureInfo.InvariantCulture)}"
        + (Channel is null ? string.Empty : $"&channel={Uri.EscapeDataString(Channel)}");

    public string Describe() =>
        $"{From.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} to {To.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}"
        + (Channel is null ? ", all channels" : $", channel {Channel}");

    private static DateOnly DefaultStart(DateOnly end) => end.DayNumber >= DefaultDays ? end.AddDays(1 - DefaultDays) : DateOnly.MinValue;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex ChannelPattern();
}
