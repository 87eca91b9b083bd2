namespace SupportConsole.Reporting;

public static class ReportingRegistration
{
    /// <summary>The managers' dashboards: cost, per-customer cost, deflection, their tables and the timeline of changes.</summary>
    public static IHostApplicationBuilder AddSupportConsoleReporting(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReportingOptions>().BindConfiguration(ReportingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CostReports>();
        services.AddSingleton<TimelineEvents>();
        services.AddSingleton<ReportTables>();
        return builder;
    }
}
