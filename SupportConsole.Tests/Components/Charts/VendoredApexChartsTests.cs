using System.Text.RegularExpressions;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Components.Charts;

/// <summary>The vendored chart library stays an MIT release: 5.x and later carry a dual licence the product cannot accept.</summary>
public sealed partial class VendoredApexChartsTests
{
    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "SupportConsole", "wwwroot", "lib", "apexcharts");

    [Fact]
    public void TheVendoredFileIsAnMitReleaseNoNewerThan470()
    {
        using var reader = new StreamReader(Path.Combine(Folder, "apexcharts.min.js"));
        var header = string.Join('\n', Enumerable.Range(0, 5).Select(_ => reader.ReadLine()));

        var version = VersionHeader().Match(header);
        Assert.True(version.Success, $"no version header in: {header}");
        Assert.True(Version.Parse(version.Groups[1].Value) <= new Version(4, 7, 0), $"ApexCharts {version.Groups[1].Value}: releases after 4.7.0 are not MIT");
        Assert.Contains("Released under the MIT License", header);
    }

    [Fact]
    public void ItsLicenceFileIsTheMitLicence()
    {
        var licence = File.ReadAllText(Path.Combine(Folder, "LICENSE"));

        Assert.StartsWith("The MIT License", licence.TrimStart());
        Assert.Contains("Permission is hereby granted, free of charge", licence);
        Assert.DoesNotContain("commercial", licence, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"ApexCharts v(\d+\.\d+\.\d+)")]
    private static partial Regex VersionHeader();
}
