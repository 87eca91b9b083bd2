using SupportConsole.Identity;
using SupportConsole.Tickets;

namespace SupportConsole.Components.Pages.Tickets;

/// <summary>
/// <c>/tickets/{ticket}/attachments/{attachment}</c>: a file that came with a customer's message, for agents signed in
/// to the console. Always a download (<c>application/octet-stream</c>, attachment disposition): a customer's file is
/// never rendered by the console's own origin.
/// </summary>
public static class TicketAttachmentEndpoint
{
    public static string PathFor(Guid ticketId, Guid attachmentId) => $"/tickets/{ticketId}/attachments/{attachmentId}";

    public static IEndpointRouteBuilder MapTicketAttachments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tickets/{ticketId:guid}/attachments/{attachmentId:guid}", async (Guid ticketId, Guid attachmentId, TicketDetails details,
            CancellationToken cancellationToken) =>
        {
            var file = await details.AttachmentAsync(ticketId, attachmentId, cancellationToken);
            return file is null
                ? Results.Problem("No stored attachment with this id on this ticket.", statusCode: StatusCodes.Status404NotFound, title: "Not found")
                : Results.File(file.Value.Content, "application/octet-stream", file.Value.FileName);
        }).RequireAuthorization(Policies.Agent);
        return app;
    }
}
