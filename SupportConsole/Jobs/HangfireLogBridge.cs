using HangfireLogLevel = Hangfire.Logging.LogLevel;

namespace SupportConsole.Jobs;

/// <summary>
/// Hangfire keeps one logging provider for the whole process; this one forwards to the logger factory of the app
/// that configured Hangfire last and drops messages once that app is gone, so a second host in the same process
/// (tests) never logs into a disposed factory.
/// </summary>
internal sealed class HangfireLogBridge : Hangfire.Logging.ILogProvider
{
    public static readonly HangfireLogBridge Instance = new();

    private volatile ILoggerFactory? _factory;

    public void Attach(ILoggerFactory factory) => _factory = factory;

    public Hangfire.Logging.ILog GetLogger(string name) => new BridgedLog(this, name);

    private sealed class BridgedLog(HangfireLogBridge bridge, string name) : Hangfire.Logging.ILog
    {
        private ILoggerFactory? _factory;
        private ILogger? _logger;

        public bool Log(HangfireLogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var logger = Current();
            if (logger is null)
            {
                return false;
            }

            var level = logLevel switch
            {
                HangfireLogLevel.Trace => LogLevel.Trace,
                HangfireLogLevel.Debug => LogLevel.Debug,
                HangfireLogLevel.Info => LogLevel.Information,
                HangfireLogLevel.Warn => LogLevel.Warning,
                HangfireLogLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (messageFunc is null)
            {
                return logger.IsEnabled(level);
            }

            try
            {
                logger.Log(level, 0, exception, "{Message}", messageFunc());
            }
            catch (ObjectDisposedException)
            {
                // The app that owned the factory stopped while Hangfire was still finishing.
            }

            return true;
        }

        private ILogger? Current()
        {
            var factory = bridge._factory;
            if (factory is null)
            {
                return null;
            }

            if (!ReferenceEquals(factory, _factory))
            {
                try
                {
                    _logger = factory.CreateLogger(name);
                    _factory = factory;
                }
                catch (ObjectDisposedException)
                {
                    return null;
                }
            }

            return _logger;
        }
    }
}
