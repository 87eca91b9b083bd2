using System.Collections.Concurrent;

namespace SupportConsole.Tests.TestSupport;

/// <summary>A log line as the app wrote it.</summary>
public sealed record CapturedLine(string Category, LogLevel Level, string Message, Exception? Exception);

/// <summary>Keeps every line the app logs (beside its real providers), for tests about what is logged and how much.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<CapturedLine> Lines { get; } = new();

    public IReadOnlyList<CapturedLine> At(LogLevel level) => [.. Lines.Where(l => l.Level == level)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue(new CapturedLine(category, logLevel, formatter(state, exception), exception));
    }
}
