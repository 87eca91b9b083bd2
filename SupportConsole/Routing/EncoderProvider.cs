using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Engine.Encoders;

namespace SupportConsole.Routing;

/// <summary>The one pretrained encoder of the process (one ONNX Runtime session, shared by every router version and retrieval), loaded on first use.</summary>
public sealed class EncoderProvider(IOptions<ModelOptions> options) : IDisposable
{
    private readonly Lazy<SentenceEncoder> _encoder = new(() => Load(options.Value), LazyThreadSafetyMode.ExecutionAndPublication);

    public SentenceEncoder Encoder => _encoder.Value;

    /// <summary>The configured encoder at its configured precision (the commands and tests load it this way too).</summary>
    public static SentenceEncoder Load(ModelOptions options) => SentenceEncoder.Load(PackageOf(options), options.EncoderPrecision);

    public static EncoderPackage PackageOf(ModelOptions options) =>
        new(options.EncoderPackage, options.EncoderVersion, AppPaths.Bundled(options.EncoderAssembly));

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }
}
