using Microsoft.Extensions.Options;
using SupportConsole.Delivery;

namespace SupportConsole.Email;

public static class EmailRegistration
{
    /// <summary>The email channel: its settings, the intake of one message, the SMTP route of replies to mail, the mailbox states.</summary>
    public static IHostApplicationBuilder AddSupportConsoleEmail(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddSingleton<MailboxMonitor>();
        services.AddSingleton<EmailIntake>();
        services.AddSingleton<SmtpReplyChannel>();
        services.AddSingleton<EmailAdmin>();
        services.AddSingleton<IReplyChannel>(sp => sp.GetRequiredService<SmtpReplyChannel>());
        return builder;
    }

    /// <summary>The mailbox readers (in the web app; nothing runs while no mailbox is configured).</summary>
    public static IHostApplicationBuilder AddSupportConsoleMailboxReaders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<MailboxReader>();
        return builder;
    }
}
