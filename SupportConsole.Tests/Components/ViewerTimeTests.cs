using SupportConsole.Components.Shared;

namespace SupportConsole.Tests.Components;

/// <summary>Times in the viewer's zone, with the zone shown, in one format.</summary>
public sealed class ViewerTimeTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 5, 0, TimeSpan.Zero);

    [Fact]
    public void ATokyoBrowserReadsTokyoTimeWithItsOffset()
    {
        var time = new ViewerTime();
        time.Use(Uri.EscapeDataString("Asia/Tokyo|540"));

        Assert.Equal("Asia/Tokyo", time.ZoneName);
        Assert.Equal("7 Dec 2026, 21:05 UTC+9", time.Format(Noon));
    }

    [Fact]
    public void AZoneWithDaylightSavingShowsTheOffsetOfThatDay()
    {
        var time = new ViewerTime();
        time.Use("Europe/Berlin|60");

        Assert.Equal("7 Dec 2026, 13:05 UTC+1", time.Format(Noon));
        Assert.Equal("7 Jul 2026, 14:05 UTC+2", time.Format(new DateTimeOffset(2026, 7, 7, 12, 5, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData(null, "7 Dec 2026, 12:05 UTC")]
    [InlineData("", "7 Dec 2026, 12:05 UTC")]
    [InlineData("Not/AZone|330", "7 Dec 2026, 17:35 UTC+5:30")]
    [InlineData("Not/AZone|nonsense", "7 Dec 2026, 12:05 UTC")]
    public void AnUnknownZoneFallsBackToItsOffsetAndNoneToUtc(string? cookie, string expected)
    {
        var time = new ViewerTime();
        time.Use(cookie);

        Assert.Equal(expected, time.Format(Noon));
    }

    [Fact]
    public void TimeLeftSaysHowLongOrHowLate()
    {
        Assert.Equal("1 h 20 min left", ViewerTime.Left(Noon.AddMinutes(80), Noon));
        Assert.Equal("12 min overdue", ViewerTime.Left(Noon.AddMinutes(-12), Noon));
        Assert.Equal("2 d 3 h left", ViewerTime.Left(Noon.AddHours(51), Noon));
    }
}
