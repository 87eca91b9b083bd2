using System.Net;
using SupportConsole.Operations.Privacy;

namespace SupportConsole.Tests.Operations.Privacy;

public class ConnectionLogTests
{
    private static readonly IPEndPoint[] NoneAllowed = [];

    [Theory]
    [InlineData("2532  connect(353, {sa_family=AF_INET, sin_port=htons(5080), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0", ConnectionKind.Loopback, "127.0.0.1:5080")]
    [InlineData("12 connect(9, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr(\"127.4.5.6\")}, 16) = -1 ECONNREFUSED (Connection refused)", ConnectionKind.Loopback, "127.4.5.6:5432")]
    [InlineData("12 connect(9, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 0", ConnectionKind.Loopback, "[::1]:443")]
    [InlineData("12 connect(9, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::ffff:127.0.0.1\", &sin6_addr), sin6_scope_id=0}, 28) = 0", ConnectionKind.Loopback, "127.0.0.1:8080")]
    [InlineData("12 connect(9, {sa_family=AF_UNIX, sun_path=\"/tmp/dotnet-diagnostic-12-34-socket\"}, 110) = 0", ConnectionKind.UnixSocket, "/tmp/dotnet-diagnostic-12-34-socket")]
    [InlineData("12 connect(9, {sa_family=AF_UNIX, sun_path=@\"abstract\"}, 11) = 0", ConnectionKind.UnixSocket, "@abstract")]
    [InlineData("12 sendto(9, \"...\", 20, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20", ConnectionKind.Kernel, "AF_NETLINK")]
    [InlineData("12 connect(9, {sa_family=AF_UNSPEC, sa_data=\"\\0\\0\\0\\0\"}, 16) = 0", ConnectionKind.Kernel, "AF_UNSPEC")]
    [InlineData("2532  connect(353, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"10.255.255.53\")}, 16) = 0", ConnectionKind.NameLookup, "10.255.255.53:53")]
    [InlineData("12 sendto(9, \"\\346B\\1\\0\", 50, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"127.0.0.53\")}, 16) = 50", ConnectionKind.NameLookup, "127.0.0.53:53")]
    [InlineData("13580 connect(347, {sa_family=AF_UNIX, sun_path=\"/var/run/nscd/socket\"}, 110) = -1 ENOENT (No such file or directory)", ConnectionKind.NameLookup, "/var/run/nscd/socket")]
    [InlineData("12 connect(9, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr(\"20.42.65.92\")}, 16 <unfinished ...>", ConnectionKind.External, "20.42.65.92:443")]
    [InlineData("12 sendmsg(9, {msg_name={sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"2001:db8::1\", &sin6_addr), sin6_scope_id=0}, msg_namelen=28}, 0) = 10", ConnectionKind.External, "[2001:db8::1]:443")]
    [InlineData("12 connect(9, {sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL)}, 20) = 0", ConnectionKind.External, "AF_PACKET")]
    public void ClassifiesEachDestination(string line, ConnectionKind kind, string destination)
    {
        var attempt = ConnectionLog.Parse(line, NoneAllowed);

        Assert.NotNull(attempt);
        Assert.Equal(kind, attempt.Kind);
        Assert.Equal(destination, attempt.Destination);
        Assert.Equal(kind is ConnectionKind.NameLookup or ConnectionKind.External, attempt.LeavesTheMachine);
    }

    [Theory]
    [InlineData("2532  sendto(353, \"\\346B\\1\\0\\0\\1\"..., 50, MSG_NOSIGNAL, NULL, 0) = 50")]
    [InlineData("2532  <... connect resumed>) = 0")]
    [InlineData("2532  +++ exited with 0 +++")]
    [InlineData("")]
    public void LinesWithoutADestinationAreNoAttempt(string line) => Assert.Null(ConnectionLog.Parse(line, NoneAllowed));

    [Fact]
    public void AnAllowedServiceIsNotExternalButItsNeighboursAre()
    {
        IPEndPoint[] allowed = [IPEndPoint.Parse("10.0.0.7:5432"), IPEndPoint.Parse("10.0.0.8")];
        string Line(string address, int port) =>
            $"7 connect(3, {{sa_family=AF_INET, sin_port=htons({port}), sin_addr=inet_addr(\"{address}\")}}, 16) = 0";

        var attempts = ConnectionLog.Parse([Line("10.0.0.7", 5432), Line("10.0.0.7", 22), Line("10.0.0.8", 443), Line("10.0.0.9", 5432)], allowed);

        Assert.Equal([ConnectionKind.Allowed, ConnectionKind.External, ConnectionKind.Allowed, ConnectionKind.External], attempts.Select(a => a.Kind));
    }
}
