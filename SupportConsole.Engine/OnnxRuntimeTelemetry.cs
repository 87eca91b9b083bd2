using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace SupportConsole.Engine;

/// <summary>
/// Keeps ONNX Runtime from collecting and sending telemetry: ONNX Runtime 1.29 and later start a 1DS uploader on Linux
/// and macOS (events to <c>mobile.events.data.microsoft.com</c>, a device id and an event queue under
/// <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime/</c>) unless <c>ORT_DISABLE_TELEMETRY=1</c> is in the
/// <em>native</em> environment when the library initialises. Runs before any engine code, so no verb, host or test
/// can reach ONNX Runtime first.
/// </summary>
public static partial class OnnxRuntimeTelemetry
{
    /// <summary>ONNX Runtime's own opt-out (its docs/Privacy.md).</summary>
    public const string DisableVariable = "ORT_DISABLE_TELEMETRY";

    private static readonly Lock Gate = new();
    private static bool _turnedOff;

    /// <summary>Sets the opt-out in the native and the managed environment, then turns the runtime's telemetry events off.</summary>
    public static void TurnOff()
    {
        lock (Gate)
        {
            if (_turnedOff)
            {
                return;
            }

            // .NET keeps its own copy of the environment on Unix: Environment.SetEnvironmentVariable never reaches the
            // getenv() that ONNX Runtime calls, so set the native one (and the managed one, which child processes get).
            if (!OperatingSystem.IsWindows() && SetNativeVariable(DisableVariable, "1", overwrite: 1) != 0)
            {
                throw new InvalidOperationException($"could not set {DisableVariable} in the process environment (errno {Marshal.GetLastPInvokeError()})");
            }

            Environment.SetEnvironmentVariable(DisableVariable, "1");

            // The variable stops the uploader; this stops the events the runtime still raises through its platform
            // telemetry provider (ETW on Windows).
            OrtEnv.Instance().DisableTelemetryEvents();
            _turnedOff = true;
        }
    }

    /// <summary>What the native environment holds for <paramref name="name"/> (null when unset); for checks and tests.</summary>
    public static string? NativeVariable(string name) =>
        OperatingSystem.IsWindows() ? Environment.GetEnvironmentVariable(name) : Marshal.PtrToStringUTF8(GetNativeVariable(name));

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The opt-out must be in place before any caller of the engine can load ONNX Runtime.")]
    internal static void TurnOffBeforeFirstUse() => TurnOff();

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetNativeVariable(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetNativeVariable(string name);
}
