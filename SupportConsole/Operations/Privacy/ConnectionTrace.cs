using System.Diagnostics;
using System.Net;

namespace SupportConsole.Operations.Privacy;

/// <summary>
/// Runs a process under Debian's <c>strace</c>, recording every <c>connect</c>, <c>sendto</c> and <c>sendmsg</c> of it,
/// its threads and its children from the first instruction (so what a library does while it loads is seen too).
/// </summary>
public sealed class ConnectionTrace(string logPath)
{
    public string LogPath { get; } = logPath;

    /// <summary>The strace executable on PATH, or null.</summary>
    public static string? FindStrace() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "strace"))
            .FirstOrDefault(File.Exists);

    /// <summary>Makes <paramref name="start"/> run its program under strace.</summary>
    public void Wrap(ProcessStartInfo start)
    {
        var strace = FindStrace() ?? throw new InvalidOperationException("strace is not installed (Debian: apt-get install strace)");
        string[] prefix =
        [
            // -f: threads and children; --seccomp-bpf: only the traced calls stop the process; no signal or exit lines.
            "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect,sendto,sendmsg", "-e", "signal=none", "-s", "48", "-o", LogPath,
            start.FileName,
        ];
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            start.ArgumentList.Insert(0, prefix[i]);
        }

        start.FileName = strace;
    }

    /// <summary>Every attempt with a destination that the log holds so far.</summary>
    public IReadOnlyList<ConnectionAttempt> Read(IReadOnlyCollection<IPEndPoint> allowed) =>
        File.Exists(LogPath) ? ConnectionLog.Parse(File.ReadLines(LogPath), allowed) : [];

    /// <summary>
    /// Asks the traced program to stop (SIGTERM to strace's children): strace itself blocks fatal signals while it
    /// runs a program, and ends, with its log complete, when the program has.
    /// </summary>
    public static int TerminateTracees(int tracerProcessId)
    {
        var signalled = 0;
        foreach (var child in ChildrenOf(tracerProcessId))
        {
            // .NET can only SIGKILL another process; the console must get the SIGTERM of a normal shutdown.
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", child.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                UseShellExecute = false,
                RedirectStandardError = true,
            });
            if (kill is not null && kill.WaitForExit(10_000) && kill.ExitCode == 0)
            {
                signalled++;
            }
        }

        return signalled;
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], out var ppid) && ppid == parent)
            {
                yield return pid;
            }
        }
    }
}
