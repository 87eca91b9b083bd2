using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using SupportConsole.Data;

namespace SupportConsole.Changes;

/// <summary>A change another instance made and this one should act on (a ticket decided, the kill switch flipped...).</summary>
public sealed record ClusterEvent(string Topic, string Payload, string Origin);

/// <summary>
/// Carries change notifications between the instances that share one database. Publishing never blocks the caller on
/// the network for long and never fails it: a lost notification only delays a page update (pages and caches also
/// re-read the database).
/// </summary>
public interface IClusterBus
{
    /// <summary>This process's name on the bus; its own notifications do not come back to it.</summary>
    string InstanceId { get; }

    /// <summary>Raised for notifications from other instances, on a background thread.</summary>
    event Action<ClusterEvent>? Received;

    void Publish(string topic, string payload);
}

/// <summary>One instance (SQLite): nobody else to tell.</summary>
public sealed class SingleInstanceBus : IClusterBus
{
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    public event Action<ClusterEvent>? Received
    {
        add { }
        remove { }
    }

    public void Publish(string topic, string payload)
    {
    }
}

/// <summary>
/// PostgreSQL LISTEN/NOTIFY on one channel: a connection of its own listens (and reconnects when it drops); a
/// notification is sent with <c>pg_notify</c> from a pooled connection.
/// </summary>
public sealed class PostgresClusterBus(IOptions<DatabaseOptions> database, ILogger<PostgresClusterBus> logger) : BackgroundService, IClusterBus
{
    public const string Channel = "supportconsole_changes";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private NpgsqlDataSource? _dataSource;
    private NpgsqlDataSource? _publishing;

    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    public event Action<ClusterEvent>? Received;

    /// <summary>The listener's: its connection holds LISTEN, so it is reset when it goes back to the pool.</summary>
    private NpgsqlDataSource DataSource => _dataSource ??= NpgsqlDataSource.Create(database.Value.ConnectionString!);

    /// <summary>The publishers': no session state, so no reset round trip per notification.</summary>
    private NpgsqlDataSource Publishing => _publishing ??= NpgsqlDataSource.Create(database.Value.PostgresConnectionString());

    public void Publish(string topic, string payload)
    {
        var message = JsonSerializer.Serialize(new ClusterEvent(topic, payload, InstanceId), Json);
        _ = Task.Run(async () =>
        {
            try
            {
                await using var command = Publishing.CreateCommand("SELECT pg_notify(@channel, @message)");
                command.Parameters.AddWithValue("channel", Channel);
                command.Parameters.AddWithValue("message", message);
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ObjectDisposedException)
            {
                logger.LogWarning(e, "Could not notify other instances of {Topic}", topic);
            }
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await DataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                logger.LogInformation("Listening for changes from other instances as {Instance}", InstanceId);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or System.IO.IOException)
            {
                logger.LogWarning(e, "Lost the change-notification connection; reconnecting");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    public override void Dispose()
    {
        _dataSource?.Dispose();
        _publishing?.Dispose();
        base.Dispose();
    }

    private void OnNotification(string payload)
    {
        ClusterEvent? change;
        try
        {
            change = JsonSerializer.Deserialize<ClusterEvent>(payload, Json);
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Ignoring a malformed change notification");
            return;
        }

        if (change is null || change.Origin == InstanceId)
        {
            return;
        }

        try
        {
            Received?.Invoke(change);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Handling the {Topic} notification from {Origin} failed", change.Topic, change.Origin);
        }
    }
}

public static class ChangesRegistration
{
    /// <summary>The change feed, and the bus under it: LISTEN/NOTIFY on PostgreSQL, nothing on the one-machine default.</summary>
    public static IHostApplicationBuilder AddSupportConsoleChanges(this IHostApplicationBuilder builder)
    {
        if (DataRegistration.ProviderOf(builder.Configuration) == DatabaseProvider.Postgres)
        {
            builder.Services.AddSingleton<PostgresClusterBus>();
            builder.Services.AddSingleton<IClusterBus>(sp => sp.GetRequiredService<PostgresClusterBus>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresClusterBus>());
        }
        else
        {
            builder.Services.AddSingleton<IClusterBus, SingleInstanceBus>();
        }

        builder.Services.AddSingleton<ChangeFeed>();

        // A committed save of cached data (settings, customers, budgets, API keys) is announced to the other instances,
        // whose caches of that kind are stale at once instead of at their age.
        builder.Services.Replace(ServiceDescriptor.Singleton(sp => new DataChanges(kind => sp.GetRequiredService<IClusterBus>().Publish(CachedDataFollower.Topic, kind))));
        builder.Services.AddSingleton<IChangeFollower, CachedDataFollower>();
        return builder;
    }

    /// <summary>What this instance does when another announces a change (web host only: the command line runs alone).</summary>
    public static IHostApplicationBuilder AddSupportConsoleChangeFollowing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ChangeFollowing>();
        return builder;
    }
}
