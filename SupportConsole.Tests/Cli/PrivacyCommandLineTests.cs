using SupportConsole.Cli;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Cli;

public class PrivacyCommandLineTests
{
    [Theory]
    [InlineData("--allow", "cloud.example.com")]
    [InlineData("--allow", "10.0.0.1:99999")]
    [InlineData("--tickets", "0")]
    public async Task BadArgumentsGiveOneReadableLineAndStartNothing(string option, string value)
    {
        var (code, output, error) = await CommandLine.Run("privacy", "audit", option, value);

        Assert.Equal(SupportConsoleCommandLine.UsageError, code);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
