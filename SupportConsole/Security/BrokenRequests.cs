using Microsoft.Extensions.Options;

namespace SupportConsole.Security;

/// <summary>
/// A request whose body arrives too slowly, is cut short or is larger than the server allows is the client's problem:
/// it gets its 4xx (400, 408, 413) with problem details and at most a warning line, and such lines are limited to
/// <see cref="WebSecurityOptions.BrokenRequestWarningsPerMinute"/>, so a client cannot flood the log. A client that went
/// away gets nothing (there is nobody to answer) and a debug line.
/// </summary>
public sealed class BrokenRequests(RequestDelegate next, WarningBudget budget, ILogger<BrokenRequests> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            if (budget.TryTake(out var suppressed))
            {
                logger.LogWarning("{Method} {Path} from {Client}: {Status} {Reason}{Suppressed}", context.Request.Method, context.Request.Path,
                    context.Connection.RemoteIpAddress, e.StatusCode, e.Message, suppressed > 0 ? $" ({suppressed} more like it were not logged)" : string.Empty);
            }

            // The rest of the body will not come (or not in time): close the connection instead of reading on to reuse it.
            context.Response.Clear();
            context.Response.Headers.Connection = "close";
            await TypedResults.Problem(e.Message, statusCode: e.StatusCode, title: "The request could not be read").ExecuteAsync(context);
        }
        catch (IOException e) when (context.RequestAborted.IsCancellationRequested || e is Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            logger.LogDebug("{Method} {Path}: the client went away ({Error})", context.Request.Method, context.Request.Path, e.Message);
        }
    }
}

/// <summary>A number of log lines per minute; what is over is counted and reported with the next line allowed.</summary>
public sealed class WarningBudget(IOptions<WebSecurityOptions> options, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private long _windowStart = long.MinValue;
    private int _used;
    private int _suppressed;

    /// <summary>True when a line may be written; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool TryTake(out int suppressed)
    {
        lock (_lock)
        {
            var now = clock.GetTimestamp();
            if (_windowStart == long.MinValue || clock.GetElapsedTime(_windowStart, now) >= TimeSpan.FromMinutes(1))
            {
                (_windowStart, _used) = (now, 0);
            }

            if (_used >= options.Value.BrokenRequestWarningsPerMinute)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _used++;
            (suppressed, _suppressed) = (_suppressed, 0);
            return true;
        }
    }
}
