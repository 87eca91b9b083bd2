using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SupportConsole.Engine;

namespace SupportConsole.Tests.TestSupport;

internal static class TestAssemblyInitializer
{
    /// <summary>Some tests build ONNX sessions directly: ONNX Runtime's telemetry is off before any of them can.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "Must run before the first test touches ONNX Runtime.")]
    internal static void TurnOffOnnxRuntimeTelemetry() => OnnxRuntimeTelemetry.TurnOff();
}
