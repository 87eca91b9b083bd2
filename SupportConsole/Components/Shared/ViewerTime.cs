using System.Globalization;

namespace SupportConsole.Components.Shared;

/// <summary>
/// Times as the person at the browser reads them: in their time zone, with the zone shown, in one format across the
/// console ("7 Dec 2026, 14:05 UTC+9"). The zone comes from the browser (a cookie its script sets on every page, the
/// sign-in page included); without one, times are UTC and say so. One per circuit.
/// </summary>
public sealed class ViewerTime
{
    /// <summary>The cookie the browser's script writes: the IANA zone and the current offset in minutes, "Asia/Tokyo|540".</summary>
    public const string CookieName = "sc_tz";

    public const string DateFormat = "d MMM yyyy";
    public const string TimeFormat = "HH:mm";

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>The zone's name as the browser gave it (e.g. Asia/Tokyo), or UTC.</summary>
    public string ZoneName { get; private set; } = "UTC";

    /// <summary>Uses the zone of the browser's cookie value; an unknown zone falls back to its offset, a missing one to UTC.</summary>
    public void Use(string? cookie)
    {
        if (string.IsNullOrWhiteSpace(cookie))
        {
            return;
        }

        var parts = Uri.UnescapeDataString(cookie).Split('|', 2);
        if (parts[0].Length > 0 && TimeZoneInfo.TryFindSystemTimeZoneById(parts[0], out var zone))
        {
            (Zone, ZoneName) = (zone, parts[0]);
        }
        else if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var minutes) && Math.Abs(minutes) <= 14 * 60)
        {
            var offset = TimeSpan.FromMinutes(minutes);
            (Zone, ZoneName) = (TimeZoneInfo.CreateCustomTimeZone(Offset(offset), offset, Offset(offset), Offset(offset)), Offset(offset));
        }
    }

    public DateTimeOffset ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>"7 Dec 2026, 14:05 UTC+9".</summary>
    public string Format(DateTimeOffset at)
    {
        var local = ToLocal(at);
        return $"{local.ToString(DateFormat, CultureInfo.InvariantCulture)}, {local.ToString(TimeFormat, CultureInfo.InvariantCulture)} {Offset(local.Offset)}";
    }

    /// <summary>"14:05 UTC+9" when <paramref name="at"/> is today for the viewer, the full form otherwise.</summary>
    public string Short(DateTimeOffset at, DateTimeOffset now)
    {
        var local = ToLocal(at);
        return local.Date == ToLocal(now).Date ? $"{local.ToString(TimeFormat, CultureInfo.InvariantCulture)} {Offset(local.Offset)}" : Format(at);
    }

    public static string FormatDate(DateOnly day) => day.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>"UTC", "UTC+9", "UTC+5:30", "UTC-3".</summary>
    public static string Offset(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            return "UTC";
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0 ? $"UTC{sign}{abs.Hours}" : $"UTC{sign}{abs.Hours}:{abs.Minutes:00}";
    }

    /// <summary>Time left to a target in words: "1 h 20 min left", "12 min overdue".</summary>
    public static string Left(DateTimeOffset due, DateTimeOffset now)
    {
        var left = due - now;
        var text = Span(left.Duration());
        return left < TimeSpan.Zero ? $"{text} overdue" : $"{text} left";
    }

    private static string Span(TimeSpan span) => span.TotalMinutes < 1 ? "under 1 min"
        : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min"
        : span.TotalDays < 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : $"{(int)span.TotalDays} d {span.Hours} h";
}
