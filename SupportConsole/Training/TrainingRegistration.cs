using SupportConsole.Data.Entities;
using SupportConsole.Jobs;

namespace SupportConsole.Training;

public static class TrainingRegistration
{
    /// <summary>Router retraining: a candidate trained from the approved tickets, shadow-evaluated, activated only when it is better; and its weekly job.</summary>
    public static IHostApplicationBuilder AddSupportConsoleTraining(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RetrainingOptions>().BindConfiguration(RetrainingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RouterRetrainer>();
        services.AddTrackedJob<RouterRetrainJob>(JobKinds.RouterRetrain, RouterRetrainJob.RecurringId, o => o.RouterRetrainCron);
        return builder;
    }
}
