using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Security;

/// <summary>Configuration section <c>WebSecurity</c>: response headers and how loudly broken requests are logged.</summary>
public sealed class WebSecurityOptions
{
    public const string SectionName = "WebSecurity";

    /// <summary>
    /// The Content-Security-Policy of every response. Scripts only from this origin (Blazor Server needs no eval; the
    /// chart library is served from wwwroot), inline styles because MudBlazor and SVG charts set style attributes, the
    /// circuit's WebSocket to this origin, no framing, forms only to this origin.
    /// </summary>
    [Required]
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    [Required]
    public string ReferrerPolicy { get; set; } = "same-origin";

    /// <summary>Strict-Transport-Security max-age, sent on responses served over https only.</summary>
    [Range(0, 3650)]
    public int HstsDays { get; set; } = 365;

    /// <summary>Warning lines per minute for requests whose body was cut short or too slow; past that they are counted, not written.</summary>
    [Range(1, 10_000)]
    public int BrokenRequestWarningsPerMinute { get; set; } = 10;
}
