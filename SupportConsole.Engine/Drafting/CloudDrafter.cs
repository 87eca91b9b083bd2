using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;
using SupportConsole.Engine.Accounting;

namespace SupportConsole.Engine.Drafting;

/// <summary>What one cloud-model endpoint costs.</summary>
public sealed record CloudPrice(decimal InputPerMillionTokensUsd, decimal OutputPerMillionTokensUsd);

/// <summary>An OpenAI-compatible chat-completions endpoint; <see cref="BaseUrl"/> includes the version path (e.g. https://host/v1).</summary>
public sealed record CloudDraftEndpoint(string Name, Uri BaseUrl, string Model, string? ApiKey, TimeSpan Timeout, CloudPrice Price);

/// <summary>A help-center source the cloud model may use, numbered in the prompt.</summary>
public sealed record CloudDraftSource(string ArticleId, string ArticleTitle, string SectionTitle, string Text);

public sealed record CloudDraftRequest(string TicketText, string? Subject, string? PredictedIntent, IReadOnlyList<CloudDraftSource> Sources,
    CustomerIdentity? Customer);

/// <summary>The cloud model's draft (or none), who wrote it, what it cost, and every endpoint that failed on the way.</summary>
public sealed record CloudDraftOutcome(
    string? Text,
    string? Endpoint,
    string? Model,
    int InputTokens,
    int OutputTokens,
    decimal CostUsd,
    TimeSpan Latency,
    IReadOnlyList<string> Failures,
    IReadOnlyDictionary<string, int> Redactions);

/// <summary>Asks a cloud model for a draft of a ticket the local model could not certify.</summary>
public interface ICloudDrafter
{
    /// <summary>False when no cloud model is configured: then the pipeline makes no draft and no call.</summary>
    bool IsConfigured { get; }

    Task<CloudDraftOutcome> DraftAsync(CloudDraftRequest request, CancellationToken cancellationToken);
}

/// <summary>The default: no cloud model, no outbound call, no draft.</summary>
public sealed class NoCloudDrafter : ICloudDrafter
{
    public bool IsConfigured => false;

    public Task<CloudDraftOutcome> DraftAsync(CloudDraftRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new CloudDraftOutcome(null, null, null, 0, 0, 0m, TimeSpan.Zero, ["no cloud model is configured"],
            new Dictionary<string, int>()));
}

/// <summary>
/// Tries the configured endpoints in order, each with its own timeout, until one answers. The ticket is redacted
/// before anything leaves the process, and the prompt restricts the answer to the numbered sources.
/// </summary>
public sealed class FailoverCloudDrafter : ICloudDrafter
{
    private const string SystemPrompt =
        "You are a support agent for Northwind Bank. Write a short, friendly reply to the customer using ONLY the numbered "
        + "help-center sources given. Cite the source you used like [1]. If the sources do not answer the question, say that "
        + "a colleague will follow up. Never invent fees, limits or times. Placeholders like [NAME] or [CARD] stand for "
        + "personal data that was removed; do not repeat or guess them.";

    private readonly IReadOnlyList<(CloudDraftEndpoint Endpoint, IChatClient Client)> _endpoints;

    public FailoverCloudDrafter(IReadOnlyList<CloudDraftEndpoint> endpoints)
    {
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one endpoint is needed; use NoCloudDrafter when none is configured", nameof(endpoints));
        }

        _endpoints = [.. endpoints.Select(e => (e, CreateClient(e)))];
    }

    public bool IsConfigured => true;

    public async Task<CloudDraftOutcome> DraftAsync(CloudDraftRequest request, CancellationToken cancellationToken)
    {
        var body = PiiRedactor.Redact(request.TicketText, request.Customer);
        var subject = request.Subject is null ? null : PiiRedactor.Redact(request.Subject, request.Customer);
        var redactions = body.Counts.Concat(subject?.Counts ?? new Dictionary<string, int>())
            .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, SystemPrompt),
            new(ChatRole.User, Prompt(subject?.Text, body.Text, request.Sources)),
        };

        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        foreach (var (endpoint, client) in _endpoints)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(endpoint.Timeout);
            try
            {
                var response = await client.GetResponseAsync(messages, new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 500 }, timeout.Token);
                var text = response.Text.Trim();
                if (text.Length == 0)
                {
                    failures.Add($"{endpoint.Name}: empty answer");
                    continue;
                }

                var input = (int)(response.Usage?.InputTokenCount ?? PriceTable.EstimateTokens(SystemPrompt + messages[1].Text));
                var output = (int)(response.Usage?.OutputTokenCount ?? PriceTable.EstimateTokens(text));
                var cost = (input * endpoint.Price.InputPerMillionTokensUsd / 1_000_000m) + (output * endpoint.Price.OutputPerMillionTokensUsd / 1_000_000m);
                return new CloudDraftOutcome(text, endpoint.Name, response.ModelId ?? endpoint.Model, input, output, cost, clock.Elapsed, failures, redactions);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{endpoint.Name}: timed out after {endpoint.Timeout.TotalSeconds:0.##} s");
            }
            catch (Exception e) when (e is ClientResultException or HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
            {
                failures.Add($"{endpoint.Name}: {e.Message.Split('\n')[0].Trim()}");
            }
        }

        return new CloudDraftOutcome(null, null, null, 0, 0, 0m, clock.Elapsed, failures, redactions);
    }

    private static string Prompt(string? subject, string body, IReadOnlyList<CloudDraftSource> sources)
    {
        var prompt = new StringBuilder();
        for (var i = 0; i < sources.Count; i++)
        {
            prompt.Append('[').Append(i + 1).Append("] ").Append(sources[i].ArticleTitle).Append(" - ").Append(sources[i].SectionTitle).Append('\n')
                .Append(sources[i].Text.Trim()).Append("\n\n");
        }

        prompt.Append("Customer message:\n");
        if (!string.IsNullOrWhiteSpace(subject))
        {
            prompt.Append("Subject: ").Append(subject).Append('\n');
        }

        return prompt.Append(body).ToString();
    }

    private static IChatClient CreateClient(CloudDraftEndpoint endpoint)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint.BaseUrl,
            NetworkTimeout = endpoint.Timeout,
            // Failover is ours: no hidden retries that would multiply the timeout.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        return new OpenAIClient(new ApiKeyCredential(endpoint.ApiKey ?? "not-needed"), options)
            .GetChatClient(endpoint.Model)
            .AsIChatClient();
    }
}
