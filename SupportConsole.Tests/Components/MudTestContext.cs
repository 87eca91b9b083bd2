using Bunit;
using MudBlazor.Services;

namespace SupportConsole.Tests.Components;

/// <summary>
/// bUnit with MudBlazor's services and loose JS interop, as MudBlazor's own tests set it up. Disposed asynchronously:
/// some MudBlazor services only implement IAsyncDisposable.
/// </summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    protected MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>The input element a test id points at (MudBlazor puts user attributes on the input or on its wrapper).</summary>
    protected static AngleSharp.Dom.IElement Input<T>(IRenderedComponent<T> cut, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        var element = cut.Find($"[data-testid='{testId}']");
        return element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea") ?? element;
    }
}
