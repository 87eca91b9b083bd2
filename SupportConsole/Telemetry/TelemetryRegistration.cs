using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SupportConsole.Engine.Pipeline;

namespace SupportConsole.Telemetry;

/// <summary>Configuration section <c>Telemetry</c>: where pipeline spans go (nowhere by default).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary><c>none</c> (default), <c>console</c> or <c>otlp</c>.</summary>
    public string Exporter { get; set; } = "none";

    /// <summary>OTLP endpoint when <see cref="Exporter"/> is <c>otlp</c> (default http://127.0.0.1:4317).</summary>
    public Uri? OtlpEndpoint { get; set; }
}

public static class TelemetryRegistration
{
    /// <summary>One span per pipeline stage, exported only when configured.</summary>
    public static IHostApplicationBuilder AddSupportConsoleTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var exporter = options.Exporter.Trim().ToLowerInvariant();
        if (exporter is not ("none" or "console" or "otlp"))
        {
            throw new InvalidOperationException($"Telemetry:Exporter must be none, console or otlp (found '{options.Exporter}')");
        }

        if (exporter == "none")
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("SupportConsole"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(TicketPipeline.Telemetry.Name);
                if (exporter == "console")
                {
                    tracing.AddConsoleExporter();
                }
                else
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = options.OtlpEndpoint ?? new Uri("http://127.0.0.1:4317"));
                }
            });
        return builder;
    }
}
