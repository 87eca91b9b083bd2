using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using SupportConsole.Routing;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary><c>/health</c> checks the database and the router and is unhealthy when either is down; <c>/health/live</c> stays trivial.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task HealthNamesEachCheckWhenAllIsWell()
    {
        using var app = new AppFactory();
        using var anonymous = app.CreateClient();

        var (status, body) = await GetAsync(anonymous, "/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("router").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/health/live")).Status);
    }

    [Fact]
    public async Task ARouterThatCannotRouteMakesHealthUnhealthyButNotLiveness()
    {
        using var app = new AppFactory();
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/health")).Status);

        // As before the registry loaded a model (or after loading failed): no active router. Releasing the ONNX sessions
        // instead would crash the background work that still holds them, so the registry's reference is cleared.
        var active = typeof(RouterRegistry).GetField("_active", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            ?? throw new InvalidOperationException("RouterRegistry has no _active field any more: update this test");
        var registry = app.Services.GetRequiredService<RouterRegistry>();
        var router = active.GetValue(registry);
        active.SetValue(registry, null);

        var (status, body) = await GetAsync(anonymous, "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("router").GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/health/live")).Status);
        active.SetValue(registry, router);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/health")).Status);
    }

    [Fact]
    public async Task ADatabaseThatDoesNotAnswerMakesHealthUnhealthyButNotLiveness()
    {
        using var app = new AppFactory();
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/health")).Status);
        var moved = app.StateDirectory + "-moved";
        if (app.PostgresConnectionString is { } postgres)
        {
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres" }.ToString());
            await admin.OpenAsync();
            var name = new NpgsqlConnectionStringBuilder(postgres).Database;
            await using var block = new NpgsqlCommand($"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'", admin);
            await block.ExecuteNonQueryAsync();
            NpgsqlConnection.ClearAllPools();
        }
        else
        {
            SqliteConnection.ClearAllPools();
            Directory.Move(app.StateDirectory, moved);

            // A connection a background service returned in the meantime would still reach the moved file.
            SqliteConnection.ClearAllPools();
        }

        try
        {
            var (status, body) = await GetAsync(anonymous, "/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/health/live")).Status);
        }
        finally
        {
            if (app.PostgresConnectionString is { } again)
            {
                await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(again) { Database = "postgres" }.ToString());
                await admin.OpenAsync();
                await using var allow = new NpgsqlCommand($"ALTER DATABASE {new NpgsqlConnectionStringBuilder(again).Database} WITH ALLOW_CONNECTIONS true", admin);
                await allow.ExecuteNonQueryAsync();
            }
            else
            {
                SqliteConnection.ClearAllPools();
                Directory.Move(moved, app.StateDirectory);
            }
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
