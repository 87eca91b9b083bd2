using SupportConsole.Engine;

namespace SupportConsole.Tests.Operations.Privacy;

public class OnnxRuntimeTelemetryTests
{
    [Fact]
    public void TheOptOutIsInTheNativeEnvironmentOnceTheEngineIsLoaded()
    {
        // ONNX Runtime reads the native environment (getenv), which .NET's Environment.SetEnvironmentVariable never changes on Linux.
        OnnxRuntimeTelemetry.TurnOff();

        Assert.Equal("1", OnnxRuntimeTelemetry.NativeVariable(OnnxRuntimeTelemetry.DisableVariable));
        Assert.Equal("1", Environment.GetEnvironmentVariable(OnnxRuntimeTelemetry.DisableVariable));
    }
}
