using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SupportConsole.Operations;

/// <summary>
/// A stand-in for a cloud model, for simulated traffic only: an OpenAI-compatible <c>/v1/chat/completions</c> on
/// 127.0.0.1 (free port) that answers from the first numbered source in the prompt and reports token usage the way a
/// real endpoint does (about four characters a token). It is labelled <c>simulated-cloud</c> everywhere it shows.
/// </summary>
public sealed partial class SimulatedCloudModel : IAsyncDisposable
{
    public const string ModelName = "simulated-cloud";

    /// <summary>Frontier-like list prices, so simulated cloud spend looks like real spend.</summary>
    public const decimal InputUsdPerMillionTokens = 3m;

    public const decimal OutputUsdPerMillionTokens = 15m;

    private readonly WebApplication _app;
    private int _calls;

    private SimulatedCloudModel(WebApplication app) => _app = app;

    /// <summary>The endpoint's base address including <c>/v1</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public int Calls => _calls;

    public static async Task<SimulatedCloudModel> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var model = new SimulatedCloudModel(app);
        app.MapPost("/v1/chat/completions", model.CompleteAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        model.BaseUrl = new Uri(new Uri(address), "/v1");
        return model;
    }

    /// <summary>Host arguments that configure this endpoint as the (only) cloud model.</summary>
    public IEnumerable<string> HostArguments() =>
    [
        "--CloudModel:Endpoints:0:Name=" + ModelName,
        "--CloudModel:Endpoints:0:BaseUrl=" + BaseUrl,
        "--CloudModel:Endpoints:0:Model=" + ModelName,
        "--CloudModel:Endpoints:0:ApiKey=simulated",
        "--CloudModel:Endpoints:0:TimeoutSeconds=20",
        "--CloudModel:Endpoints:0:InputUsdPerMillionTokens=" + InputUsdPerMillionTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--CloudModel:Endpoints:0:OutputUsdPerMillionTokens=" + OutputUsdPerMillionTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];

    private async Task<IResult> CompleteAsync(HttpRequest request)
    {
        using var json = await JsonDocument.ParseAsync(request.Body);
        var messages = json.RootElement.TryGetProperty("messages", out var m) ? m.EnumerateArray().ToList() : [];
        string Content(JsonElement message) => message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : c.ToString();
        var prompt = messages.Count == 0 ? string.Empty : Content(messages[^1]);
        var source = FirstSource().Match(prompt);
        var sentence = source.Success ? FirstSentence(source.Groups[1].Value) : "A colleague will look into this and reply shortly.";
        var answer = $"Thanks for getting in touch. {sentence} [1] If anything is still unclear, just reply and a colleague will help.";
        var promptTokens = messages.Sum(x => Content(x).Length) / 4 + (4 * messages.Count) + 3;
        var completionTokens = (answer.Length / 4) + 1;
        var call = Interlocked.Increment(ref _calls);
        return Results.Json(new
        {
            id = $"chatcmpl-sim-{call}",
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = ModelName,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" } },
            usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
        });
    }

    private static string FirstSentence(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        var end = flat.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? flat[..(end + 1)] : flat;
    }

    [GeneratedRegex(@"\[1\][^\n]*\n(.+?)(\n\n|$)", RegexOptions.Singleline)]
    private static partial Regex FirstSource();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
