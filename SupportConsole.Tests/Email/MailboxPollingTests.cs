using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.Utils;
using SupportConsole.Data.Entities;
using SupportConsole.Email;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Email;

/// <summary>A mailbox read by polling (IDLE off), whose processed mail is moved to another folder: never deleted.</summary>
public sealed class MailboxPollingTests
{
    [Fact]
    public async Task APolledMailboxTurnsNewMailIntoATicketAndMovesItToTheProcessedFolder()
    {
        using var servers = new MailServers();
        using var app = new AppFactory(new Dictionary<string, string?>
        {
            ["Email:Mailboxes:0:Name"] = "polled",
            ["Email:Mailboxes:0:Address"] = servers.Address,
            ["Email:Mailboxes:0:Host"] = MailServers.Host,
            ["Email:Mailboxes:0:Port"] = servers.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Mailboxes:0:Security"] = "None",
            ["Email:Mailboxes:0:User"] = servers.User,
            ["Email:Mailboxes:0:Password"] = servers.Password,
            ["Email:Mailboxes:0:UseIdle"] = "false",
            ["Email:Mailboxes:0:PollSeconds"] = "1",
            ["Email:Mailboxes:0:Processed"] = "Move",
            ["Email:Mailboxes:0:MoveTo"] = "Handled",
        });
        app.Client().Dispose();

        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress("Pat", "pat@customer.example"));
        mail.To.Add(new MailboxAddress(null, servers.Address));
        mail.Subject = "Top-up";
        mail.MessageId = MimeUtils.GenerateMessageId("customer.example");
        mail.Body = new TextPart("plain") { Text = "My top-up by bank transfer has not shown up yet." };
        await servers.AppendAsync(mail);

        var clock = Stopwatch.StartNew();
        Ticket? ticket = null;
        while (ticket is null && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await using var db = app.Database();
            ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.ExternalId == mail.MessageId && t.Status != TicketStatus.Received);
            await Task.Delay(100);
        }

        Assert.NotNull(ticket);
        Assert.Equal(MailboxConnection.Polling, app.Services.GetRequiredService<MailboxMonitor>().Get("polled")?.Connection);
        await using (var db = app.Database())
        {
            Assert.Equal("Pat", (await db.Customers.SingleAsync(c => c.Email == "pat@customer.example")).Name);
        }

        IReadOnlyList<MailboxMessage> state = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            state = await servers.MailboxStateAsync();
            if (state.Any(m => m.MessageId == mail.MessageId && m.Folder == "Handled"))
            {
                break;
            }

            await Task.Delay(200);
        }

        var moved = Assert.Single(state, m => m.MessageId == mail.MessageId && !m.Deleted);
        Assert.Equal("Handled", moved.Folder);
        Assert.Contains(MailboxReader.ProcessedKeyword, moved.Keywords);
    }
}
