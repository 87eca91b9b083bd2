namespace SupportConsole.Review;

public static class ReviewRegistration
{
    /// <summary>Second opinions: a sample of auto-answered tickets a person checks after the fact.</summary>
    public static IHostApplicationBuilder AddSupportConsoleReview(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecondOpinionOptions>().BindConfiguration(SecondOpinionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SecondOpinionSampler>();
        services.AddSingleton<SecondOpinionQueue>();
        return builder;
    }
}
