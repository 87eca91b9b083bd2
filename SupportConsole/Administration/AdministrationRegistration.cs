using SupportConsole.Changes;

namespace SupportConsole.Administration;

public static class AdministrationRegistration
{
    /// <summary>What managers and admins change: the kill switch, people and API keys, the policy, the bands' what-if, the audit log.</summary>
    public static IHostApplicationBuilder AddSupportConsoleAdministration(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<KillSwitch>();
        services.AddSingleton<IChangeFollower, KillSwitchFollower>();
        services.AddSingleton<AccessAdmin>();
        services.AddSingleton<PolicyAdmin>();
        services.AddSingleton<GoldenSetWhatIf>();
        services.AddSingleton<AuditQueries>();
        return builder;
    }
}
