using Microsoft.Extensions.Options;

namespace SupportConsole.Security;

/// <summary>
/// Headers on every response: no MIME sniffing, a referrer policy, the Content-Security-Policy (which also forbids framing,
/// with X-Frame-Options for older browsers: the Hangfire dashboard at <c>/jobs</c> included), and HSTS over https.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<WebSecurityOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var settings = options.Value;
        var hsts = context.Request.IsHttps && settings.HstsDays > 0 ? $"max-age={(long)TimeSpan.FromDays(settings.HstsDays).TotalSeconds}" : null;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = settings.ReferrerPolicy;
            headers.ContentSecurityPolicy = settings.ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            if (hsts is not null)
            {
                headers.StrictTransportSecurity = hsts;
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
