using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Routing;

[Collection(SmallRouterCollection.Name)]
public sealed class OpenSetEvaluationTests(SmallRouterFixture fixture)
{
    [Fact]
    public void TheLeftOutIntentsTicketsAreScoredApartAndBoundedFromAbove()
    {
        var result = OpenSetEvaluation.Run(fixture.Train, fixture.Test, 3, SmallRouterFixture.Settings, null, CancellationToken.None);

        Assert.Equal(3, result.LeftOutIntents.Count);
        Assert.Equal(fixture.Test.Count(t => result.LeftOutIntents.Contains(t.Category!)), result.OutOfScopeTickets);
        Assert.Equal(fixture.Test.Count - result.OutOfScopeTickets, result.InScope.N);
        Assert.Equal(result.OutOfScopeCertified / (double)result.OutOfScopeTickets, result.OutOfScopeCertifiedRate, 12);
        Assert.Equal(ClopperPearson.UpperBound(result.OutOfScopeCertified, result.OutOfScopeTickets, 0.95),
            result.OutOfScopeCertifiedUpperBound, 12);
        Assert.True(result.OutOfScopeCertifiedUpperBound > result.OutOfScopeCertifiedRate);
    }

    [Fact]
    public void LeavingOutAllButOneIntentIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OpenSetEvaluation.Run(fixture.Train, fixture.Test, SmallRouterFixture.Intents - 1,
            SmallRouterFixture.Settings, null, CancellationToken.None));
}
