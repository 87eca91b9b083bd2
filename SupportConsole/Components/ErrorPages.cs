using Microsoft.AspNetCore.Diagnostics;

namespace SupportConsole.Components;

/// <summary>
/// Errors as each kind of client reads them: the API answers problem details (RFC 7807) for everything, a browser
/// gets an HTML page (404 with a way on, 403 with a way back, 500 with a reference id that is in the log).
/// </summary>
public static class ErrorPages
{
    public const string Path = "/error";

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    /// <summary>The request is being re-executed to render an error page (it renders statically, without a circuit).</summary>
    public static bool IsReExecuted(HttpContext context) =>
        context.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.Features.Get<IExceptionHandlerPathFeature>() is not null;

    public static WebApplication UseConsoleErrorPages(this WebApplication app)
    {
        app.UseWhen(IsApi, api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(context => !IsApi(context), web => web.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = Path,
            CreateScopeForErrors = true,
        }));

        // Only reads are re-executed as a page: a failed form post keeps its bare status (re-running it as a page post would fail again).
        app.UseWhen(context => !IsApi(context) && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)),
            web => web.UseStatusCodePagesWithReExecute(Path + "/{0}", createScopeForStatusCodePages: true));
        app.UseWhen(context => !IsApi(context) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method),
            web => web.UseStatusCodePages());
        return app;
    }
}
