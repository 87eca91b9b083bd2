using Microsoft.EntityFrameworkCore;
using SupportConsole.Administration;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>One app for the API's security tests, with a key per scope combination.</summary>
public sealed class ApiHost : IDisposable
{
    public AppFactory App { get; } = new();

    public async Task<HttpClient> KeyClientAsync(params string[] scopes)
    {
        var (outcome, key) = await App.Services.GetRequiredService<AccessAdmin>().CreateKeyAsync($"security {string.Join('+', scopes)}", scopes, SecurityHost.Admin);
        Assert.True(outcome.Succeeded, outcome.Message);
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public async Task<int> TicketCountAsync()
    {
        await using var db = App.Database();
        return await db.Tickets.CountAsync();
    }

    public void Dispose() => App.Dispose();
}
