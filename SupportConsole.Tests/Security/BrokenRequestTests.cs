using System.Net.Sockets;
using System.Text;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>
/// Hole 7: a request body that arrives too slowly is a 408 with problem details and one warning at most (never an error
/// with a stack trace), a cut-short one ends quietly, and a flood of them writes a bounded number of lines.
/// </summary>
public sealed class BrokenRequestTests
{
    private const int Warnings = 3;

    [Fact]
    public async Task SlowBodiesGet408WithProblemDetailsAndABoundedNumberOfWarnings()
    {
        var logs = new CapturedLogs();
        using var app = new AppFactory(new Dictionary<string, string?> { ["WebSecurity:BrokenRequestWarningsPerMinute"] = $"{Warnings}" }, logs: logs);
        var port = app.Client().BaseAddress!.Port;

        // Kestrel's minimum body rate (240 bytes/s after a 5 s grace) ends each of them.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SlowPostAsync(port, i % 2 == 0 ? "/api/v1/tickets" : "/account/login")));

        Assert.All(answers.Where((_, i) => i % 2 == 0), a => Assert.StartsWith("HTTP/1.1 408", a));
        Assert.All(answers, a => Assert.Matches("^HTTP/1.1 (400|408) ", a));
        Assert.All(answers, a => Assert.Contains("application/problem+json", a));
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Error);
        Assert.InRange(logs.At(LogLevel.Warning).Count(l => l.Category.Contains("BrokenRequests")), 1, Warnings);
    }

    [Fact]
    public async Task ABodyCutShortIsNotAnErrorAndStoresNothing()
    {
        var logs = new CapturedLogs();
        using var app = new AppFactory(logs: logs);
        var port = app.Client().BaseAddress!.Port;
        await using (var db = app.Database())
        {
            Assert.Equal(0, db.Tickets.Count(t => t.ExternalId.StartsWith("cut")));
        }

        for (var i = 0; i < 5; i++)
        {
            using var socket = await ConnectAsync(port);
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: test-bootstrap-key\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"externalId\":\"cut"));
            socket.Shutdown(SocketShutdown.Send);
            await ReadAllAsync(socket);
        }

        await Task.Delay(500);
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Error);
        await using var check = app.Database();
        Assert.Equal(0, check.Tickets.Count(t => t.ExternalId.StartsWith("cut")));
    }

    private static async Task<string> SlowPostAsync(int port, string path)
    {
        using var socket = await ConnectAsync(port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: test-bootstrap-key\r\nContent-Type: {(path.Contains("api") ? "application/json" : "application/x-www-form-urlencoded")}\r\nContent-Length: 5000\r\n\r\n{{"));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reading = ReadAllAsync(socket);
        while (!reading.IsCompleted && !limit.IsCancellationRequested)
        {
            try
            {
                await socket.SendAsync(" "u8.ToArray());
            }
            catch (SocketException)
            {
                break;
            }

            await Task.WhenAny(reading, Task.Delay(1000));
        }

        return await reading;
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
        return socket;
    }

    private static async Task<string> ReadAllAsync(Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, limit.Token)) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // Closed by the server (or the limit): what arrived is the answer.
        }

        return received.ToString();
    }
}
