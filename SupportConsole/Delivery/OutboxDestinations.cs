namespace SupportConsole.Delivery;

/// <summary>Where one kind of outbox message goes; the feature that writes the kind registers its route (<see cref="DeliveryRegistration.AddOutboxRoute"/>).</summary>
public sealed record OutboxRoute(string Kind, Func<Uri?> Destination);

/// <summary>Where each kind of outbox message is delivered; a kind without a destination waits in the outbox.</summary>
public sealed class OutboxDestinations(IEnumerable<OutboxRoute> routes)
{
    private readonly IReadOnlyList<OutboxRoute> _routes = [.. routes];

    public Uri? For(string kind) => _routes.FirstOrDefault(r => r.Kind == kind)?.Destination();

    /// <summary>The kinds that have somewhere to go right now.</summary>
    public IReadOnlyList<string> Configured() => [.. _routes.Where(r => r.Destination() is not null).Select(r => r.Kind)];
}
