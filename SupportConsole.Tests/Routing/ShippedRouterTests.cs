using System.Text.Json;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Routing;

/// <summary>The demo model of models/router (built from its card): it loads, matches its card and knows every BANKING77 intent.</summary>
public sealed class ShippedRouterTests
{
    [Fact]
    public void ShippedModelLoadsAndKnowsEveryBanking77Intent()
    {
        var router = TestModels.LoadShippedRouter();
        using var dispose = router as IDisposable;
        var categories = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "data", "banking77", "categories.json")))!;

        Assert.Equal(categories.Order(StringComparer.Ordinal), router.Card.Labels);
        Assert.Equal(0.98, router.Card.Certification.TargetPrecision);
        Assert.True(router.Card.Certification.PrecisionLowerBound >= 0.98);
        Assert.Equal(10003, router.Card.Training.Examples);
        Assert.NotNull(router.Card.Cascade);
        Assert.True(router.Card.Cascade!.Certification.PrecisionLowerBound >= 0.98);
    }

    [Fact]
    public void ShippedModelRoutesPlainQuestionsToTheirIntent()
    {
        var router = TestModels.LoadShippedRouter();
        using var dispose = router as IDisposable;

        Assert.Equal("card_arrival", router.Route("My new card still hasn't arrived, it's been two weeks").Intent);
        Assert.Equal("lost_or_stolen_card", router.Route("Someone stole my wallet with my card in it").Intent);
        Assert.Equal("age_limit", router.Route("How old do you need to be to open an account?").Intent);
    }
}
