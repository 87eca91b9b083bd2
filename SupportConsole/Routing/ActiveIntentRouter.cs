using SupportConsole.Engine.Routing;

namespace SupportConsole.Routing;

/// <summary>
/// The registry's active router behind <see cref="IIntentRouter"/>, for pages (intent lists, what-if). Each call asks
/// for the active version anew, so code that needs one version for several calls takes <see cref="RouterRegistry.Active"/> once.
/// </summary>
public sealed class ActiveIntentRouter(RouterRegistry registry) : IIntentRouter
{
    public RouterModelCard Card => registry.Active.Card;

    public RoutePrediction Route(string text) => registry.Active.Route(text);

    public IReadOnlyList<RoutePrediction> Route(IReadOnlyList<string> texts) => registry.Active.Route(texts);

    public IReadOnlyList<RoutePrediction> Route(IReadOnlyList<string> texts, double targetPrecision, float[]? probabilities = null) =>
        registry.Active.Route(texts, targetPrecision, probabilities);

    public float[] Probabilities(IReadOnlyList<string> texts) => registry.Active.Probabilities(texts);
}
