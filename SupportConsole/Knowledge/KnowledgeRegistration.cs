using SupportConsole.Changes;
using SupportConsole.Data.Entities;
using SupportConsole.Jobs;

namespace SupportConsole.Knowledge;

public static class KnowledgeRegistration
{
    /// <summary>The help center: its live index (embedded with the router's encoder), the articles' editor and the re-embedding job.</summary>
    public static IHostApplicationBuilder AddSupportConsoleKnowledge(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<KnowledgeIndexProvider>();
        services.AddSingleton<IChangeFollower, KnowledgeIndexFollower>();
        services.AddSingleton<KnowledgeAdmin>();
        services.AddTrackedJob<KnowledgeReembedJob>(JobKinds.KnowledgeReembed, KnowledgeReembedJob.RecurringId, o => o.KnowledgeReembedCron);
        return builder;
    }
}
