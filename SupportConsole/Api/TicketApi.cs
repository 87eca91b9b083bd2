using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SupportConsole.Identity;
using SupportConsole.Ingest;
using SupportConsole.Tickets;

namespace SupportConsole.Api;

/// <summary>
/// <c>/api/v1/tickets</c>: ingest (idempotent on channel + external id; <c>inReplyTo</c> appends a follow-up to the
/// conversation of an earlier message and routes it again) and read back with the decision and the conversation. A
/// repeat of a stored ticket or follow-up answers with its id and state only, unless the key may also read tickets; a
/// repeat whose content differs from what was stored is a conflict.
/// </summary>
public static class TicketApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    public static IEndpointRouteBuilder MapTicketApi(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/v1/tickets").WithTags("Tickets");
        tickets.MapPost("/", CreateAsync).RequireAuthorization(ApiPolicies.TicketsWrite);
        tickets.MapGet("/{id:guid}", GetAsync).RequireAuthorization(ApiPolicies.TicketsRead);
        tickets.RefuseOtherMethods("/", HttpMethods.Post);
        tickets.RefuseOtherMethods("/{id:guid}", HttpMethods.Get);
        return app;
    }

    private static async Task<Results<Created<TicketView>, Ok<TicketView>, Ok<TicketReceipt>, Accepted<TicketView>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        HttpRequest request, TicketIntake intake, TicketQueries queries, IOptions<IngestOptions> options, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType() || !IsUtf8OrUnnamed(request.ContentType))
        {
            return TypedResults.Problem("Send the ticket as UTF-8 JSON (Content-Type: application/json, with no charset or charset=utf-8).",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }

        var limit = options.Value.MaxRequestBytes;
        if (request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        var body = await ReadLimitedAsync(request.Body, limit, cancellationToken);
        if (body is null)
        {
            return TooLarge(limit);
        }

        InboundTicketJson? json;
        try
        {
            json = JsonSerializer.Deserialize<InboundTicketJson>(body, Json);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem($"The body is not valid ticket JSON: {e.Message}", statusCode: StatusCodes.Status400BadRequest,
                title: "Malformed JSON");
        }

        if (json is null)
        {
            return TypedResults.Problem("The body is empty or null.", statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON");
        }

        var inbound = new InboundTicket(json.ExternalId, json.CustomerId, json.Channel, json.Subject, json.Body, json.ReceivedAt) { InReplyTo = json.InReplyTo };
        var result = await intake.ReceiveAsync(inbound, "api", cancellationToken);
        if (!result.IsValid)
        {
            return TypedResults.ValidationProblem(result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "The ticket is not valid; nothing was stored.");
        }

        // A new ticket answers from the rows just written; a follow-up's answer is the whole conversation, read back.
        var view = result.Decided is { } decided && !result.IsFollowUp
            ? TicketQueries.ToView(decided)
            : await queries.FindAsync(result.TicketId!.Value, cancellationToken)
              ?? throw new InvalidOperationException($"ticket {result.TicketId} vanished after ingest");
        if (!result.Created)
        {
            if (result.Repeat is { } stored && !stored.IsRepeatOf(inbound))
            {
                return TypedResults.Problem(
                    $"A different message was already stored as ({inbound.Channel}, {inbound.ExternalId?.Trim()}); a repeat must carry the same customer, subject, body and inReplyTo. Nothing was stored.",
                    statusCode: StatusCodes.Status409Conflict, title: "External id already used", extensions: new Dictionary<string, object?> { ["ticketId"] = view.Id });
            }

            // The key sent this ticket before: it learns that it is stored, not what it says (that needs tickets:read).
            return request.HttpContext.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.TicketsRead)
                ? TypedResults.Ok(view)
                : TypedResults.Ok(new TicketReceipt(view.Id, view.Status, view.Decision is not null));
        }

        var routed = result.IsFollowUp ? result.Decided is not null : view.Decision is not null;
        return routed ? TypedResults.Created($"/api/v1/tickets/{view.Id}", view) : TypedResults.Accepted($"/api/v1/tickets/{view.Id}", view);
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> GetAsync(Guid id, TicketQueries queries, CancellationToken cancellationToken) =>
        await queries.FindAsync(id, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem($"No ticket with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Ticket not found");

    /// <summary>The body is read as UTF-8: a request that names another charset would be read wrongly, so it is refused.</summary>
    private static bool IsUtf8OrUnnamed(string? contentType) =>
        !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) || media.Charset.Value is not { } charset
        || charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Trim('"').Equals("utf8", StringComparison.OrdinalIgnoreCase);

    private static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem($"The request body is larger than {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Ticket too large");

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var buffer = new MemoryStream();
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private sealed record InboundTicketJson(string? ExternalId, string? CustomerId, string? Channel, string? Subject, string? Body, DateTimeOffset? ReceivedAt,
        string? InReplyTo);
}
