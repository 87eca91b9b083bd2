using SupportConsole.Changes;
using SupportConsole.Data.Entities;
using SupportConsole.Delivery;
using SupportConsole.Jobs;

namespace SupportConsole.Evaluation;

public static class EvaluationRegistration
{
    /// <summary>The golden set: its evaluator, the recorded runs and their alerts, and the nightly job.</summary>
    public static IHostApplicationBuilder AddSupportConsoleEvaluation(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EvaluationOptions>().BindConfiguration(EvaluationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOutboxRoute<EvaluationOptions>(OutboxKinds.EvaluationAlert, o => o.AlertWebhookUrl);
        services.AddSingleton<GoldenSetEvaluator>();
        services.AddSingleton<IChangeFollower, EvaluationFollower>();
        services.AddSingleton<EvaluationRecorder>();
        services.AddSingleton<EvaluationQueries>();
        services.AddSingleton<EvaluationAlertSettings>();
        services.AddTrackedJob<GoldenEvaluationJob>(JobKinds.GoldenEvaluation, GoldenEvaluationJob.RecurringId, o => o.GoldenEvaluationCron);
        return builder;
    }
}
