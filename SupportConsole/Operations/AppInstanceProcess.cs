using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SupportConsole.Operations;

/// <summary>
/// One console instance as its own operating-system process (<c>dotnet SupportConsole.dll</c>) on 127.0.0.1 and a free
/// port, configured through environment variables: what the multi-instance tests and benchmarks run several of.
/// </summary>
public sealed class AppInstanceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private AppInstanceProcess(Process process, Uri baseUrl, string name)
    {
        _process = process;
        BaseUrl = baseUrl;
        Name = name;
    }

    public Uri BaseUrl { get; }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the instance printed (for a failure message).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(40));
            }
        }
    }

    /// <summary>True when any line the instance printed (of the last few hundred kept) contains <paramref name="text"/>.</summary>
    public bool Printed(string text)
    {
        lock (_output)
        {
            return _output.Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Starts an instance and waits until <c>/health</c> answers. <paramref name="customize"/> may change how it is
    /// started (run it under an observer, take variables away) after the environment is set.
    /// </summary>
    public static async Task<AppInstanceProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment, TimeSpan timeout,
        CancellationToken cancellationToken, Action<ProcessStartInfo>? customize = null)
    {
        var assembly = typeof(AppInstanceProcess).Assembly.Location;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [assembly, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        customize?.Invoke(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var instance = new AppInstanceProcess(process, new Uri($"http://127.0.0.1:{port}"), name);
        process.OutputDataReceived += (_, e) => instance.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"instance {name} exited with {process.ExitCode} during start-up:\n{instance.RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(instance.BaseUrl, "/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return instance;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Busy starting.
            }

            await Task.Delay(250, cancellationToken);
        }

        await instance.DisposeAsync();
        throw new TimeoutException($"instance {name} did not answer /health within {timeout.TotalSeconds:0} s:\n{instance.RecentOutput}");
    }

    /// <summary>SIGKILL: the process ends at once, mid-request, without shutting anything down.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Waits for the process to end by itself; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 500)
            {
                _output.RemoveRange(0, 100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
