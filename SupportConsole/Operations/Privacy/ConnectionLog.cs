using System.Net;
using System.Text.RegularExpressions;

namespace SupportConsole.Operations.Privacy;

/// <summary>Where a connection attempt of the observed process was going.</summary>
public enum ConnectionKind
{
    /// <summary>127.0.0.0/8 or ::1: this machine (the console's own port, a local database).</summary>
    Loopback,

    /// <summary>A Unix-domain socket (the runtime's diagnostics port, a local database socket).</summary>
    UnixSocket,

    /// <summary>The kernel itself (netlink, reading interface addresses) or a socket being disconnected: no peer.</summary>
    Kernel,

    /// <summary>A name lookup: anything to port 53, or a local resolver's socket (nscd, systemd-resolved).</summary>
    NameLookup,

    /// <summary>Another machine that the operator named as allowed (<c>--allow</c>).</summary>
    Allowed,

    /// <summary>Another machine nobody configured: what must never happen.</summary>
    External,
}

/// <summary>One <c>connect</c>, <c>sendto</c> or <c>sendmsg</c> with a destination, as <c>strace</c> printed it.</summary>
public sealed record ConnectionAttempt(int ProcessId, string Call, string Family, string Destination, ConnectionKind Kind, string Line)
{
    /// <summary>Loopback, Unix sockets, the kernel and allowed hosts are inside the building; name lookups and the rest are not.</summary>
    public bool LeavesTheMachine => Kind is ConnectionKind.NameLookup or ConnectionKind.External;
}

/// <summary>
/// Reads the lines of <c>strace -f -e trace=connect,sendto,sendmsg</c> into connection attempts. Calls without a
/// destination (a send on a connected socket) are left out: their destination was in the <c>connect</c> before them.
/// </summary>
public static partial class ConnectionLog
{
    /// <summary>Sockets through which a resolver answers for the C library: a query through them is a name lookup.</summary>
    private static readonly string[] ResolverSockets = ["/var/run/nscd/socket", "/run/nscd/socket", "/run/systemd/resolve/io.systemd.Resolve"];

    public static IReadOnlyList<ConnectionAttempt> Parse(IEnumerable<string> lines, IReadOnlyCollection<IPEndPoint>? allowed = null)
    {
        var attempts = new List<ConnectionAttempt>();
        foreach (var line in lines)
        {
            if (Parse(line, allowed ?? []) is { } attempt)
            {
                attempts.Add(attempt);
            }
        }

        return attempts;
    }

    /// <summary>One line, or null when it holds no destination (another call, a resumed call, a connected send).</summary>
    public static ConnectionAttempt? Parse(string line, IReadOnlyCollection<IPEndPoint> allowed)
    {
        var call = CallPattern().Match(line);
        if (!call.Success)
        {
            return null;
        }

        var family = FamilyPattern().Match(line, call.Index);
        if (!family.Success)
        {
            return null;
        }

        var pid = int.TryParse(call.Groups["pid"].Value, out var p) ? p : 0;
        var name = call.Groups["call"].Value;
        var familyName = family.Groups[1].Value;
        return familyName switch
        {
            "AF_INET" when Inet4Pattern().Match(line, family.Index) is { Success: true } m => Ip(pid, name, familyName, m, allowed, line),
            "AF_INET6" when Inet6Pattern().Match(line, family.Index) is { Success: true } m => Ip(pid, name, familyName, m, allowed, line),
            "AF_UNIX" => Unix(pid, name, familyName, UnixPattern().Match(line, family.Index).Groups[1].Value, line),
            "AF_NETLINK" or "AF_UNSPEC" => new ConnectionAttempt(pid, name, familyName, familyName, ConnectionKind.Kernel, line),
            // A family strace could not decode into an address, or one we do not know: never assume it stays home.
            _ => new ConnectionAttempt(pid, name, familyName, familyName, ConnectionKind.External, line),
        };
    }

    private static ConnectionAttempt Ip(int pid, string call, string family, Match match, IReadOnlyCollection<IPEndPoint> allowed, string line)
    {
        var port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (!IPAddress.TryParse(match.Groups["address"].Value, out var address))
        {
            return new ConnectionAttempt(pid, call, family, match.Groups["address"].Value, ConnectionKind.External, line);
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var endpoint = new IPEndPoint(address, port);
        var kind = port == 53 ? ConnectionKind.NameLookup
            : IPAddress.IsLoopback(address) ? ConnectionKind.Loopback
            : allowed.Any(a => a.Address.Equals(address) && (a.Port == 0 || a.Port == port)) ? ConnectionKind.Allowed
            : ConnectionKind.External;
        return new ConnectionAttempt(pid, call, family, endpoint.ToString(), kind, line);
    }

    private static ConnectionAttempt Unix(int pid, string call, string family, string path, string line)
    {
        var unquoted = path.Replace("\"", string.Empty, StringComparison.Ordinal);
        var kind = ResolverSockets.Contains(unquoted, StringComparer.Ordinal) ? ConnectionKind.NameLookup : ConnectionKind.UnixSocket;
        return new ConnectionAttempt(pid, call, family, unquoted.Length == 0 ? "(unnamed)" : unquoted, kind, line);
    }

    // "1234  connect(5, {sa_family=AF_INET, ..." ; strace without -f prints no pid.
    [GeneratedRegex(@"^(?:(?<pid>\d+)\s+)?(?:\d+:\d+:\d+(?:\.\d+)?\s+)?(?<call>connect|sendto|sendmsg)\(")]
    private static partial Regex CallPattern();

    [GeneratedRegex(@"sa_family=(AF_\w+)")]
    private static partial Regex FamilyPattern();

    [GeneratedRegex(@"sin_port=htons\((?<port>\d+)\), sin_addr=inet_addr\(""(?<address>[^""]+)""\)")]
    private static partial Regex Inet4Pattern();

    [GeneratedRegex(@"sin6_port=htons\((?<port>\d+)\),.*?inet_pton\(AF_INET6, ""(?<address>[^""]+)""")]
    private static partial Regex Inet6Pattern();

    [GeneratedRegex(@"sun_path=(@?""[^""]*"")")]
    private static partial Regex UnixPattern();
}
