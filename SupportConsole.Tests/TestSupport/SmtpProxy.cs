using System.Net;
using System.Net.Sockets;

namespace SupportConsole.Tests.TestSupport;

/// <summary>What the proxy does with the next SMTP session.</summary>
public enum SmtpProxyMode
{
    /// <summary>Forwards both ways.</summary>
    Pass,

    /// <summary>Accepts the connection and never answers: the client waits for a greeting (a crash here is before the send).</summary>
    Hang,

    /// <summary>
    /// Forwards until the client ends a message (<c>CRLF.CRLF</c>), then stops passing the server's answers: the server has
    /// the message, the client never learns it (a crash here is after the send).
    /// </summary>
    WithholdAfterData,
}

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a real SMTP server, for the moments a test needs to stop the console in: before
/// the server answers, or after it took a message but before its answer arrives. It counts sessions and messages ended.
/// </summary>
public sealed class SmtpProxy : IDisposable
{
    private static readonly byte[] EndOfData = "\r\n.\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private int _sessions;
    private int _messagesEnded;

    public SmtpProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public SmtpProxyMode Mode { get; set; } = SmtpProxyMode.Pass;

    /// <summary>Connections accepted so far.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Messages whose end (<c>CRLF.CRLF</c>) a client sent so far.</summary>
    public int MessagesEnded => Volatile.Read(ref _messagesEnded);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _sessions);
            lock (_open)
            {
                _open.Add(client);
            }

            _ = ServeAsync(client, Mode);
        }
    }

    private async Task ServeAsync(TcpClient client, SmtpProxyMode mode)
    {
        if (mode == SmtpProxyMode.Hang)
        {
            return;
        }

        var upstream = new TcpClient();
        lock (_open)
        {
            _open.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
            var withheld = false;
            var fromClient = PumpAsync(client.GetStream(), upstream.GetStream(), chunk =>
            {
                if (Ends(chunk))
                {
                    Interlocked.Increment(ref _messagesEnded);
                    withheld |= mode == SmtpProxyMode.WithholdAfterData;
                }

                return true;
            });
            var fromServer = PumpAsync(upstream.GetStream(), client.GetStream(), _ => !withheld);
            await Task.WhenAny(fromClient, fromServer);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A side went away (the killed console): the session ends.
        }
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/> while <paramref name="pass"/> says so (it sees each chunk first).</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, Func<ReadOnlyMemory<byte>, bool> pass)
    {
        var buffer = new byte[16 * 1024];
        var tail = Array.Empty<byte>();
        while (!_stop.IsCancellationRequested)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            // The end of a message may fall across two reads: look at the last bytes of the previous one too.
            var seen = new byte[tail.Length + read];
            tail.CopyTo(seen, 0);
            Array.Copy(buffer, 0, seen, tail.Length, read);
            tail = seen[Math.Max(0, seen.Length - EndOfData.Length + 1)..];
            if (pass(seen))
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
    }

    private static bool Ends(ReadOnlyMemory<byte> chunk) => chunk.Span.IndexOf(EndOfData) >= 0;
}
