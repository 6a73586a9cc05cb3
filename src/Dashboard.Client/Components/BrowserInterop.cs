using Microsoft.JSInterop;

namespace Dashboard.Client.Components;

/// <summary>
/// The dashboard's few browser calls (wwwroot/dashboard.js), imported lazily. Call only after the first render;
/// a lost circuit makes every call a no-op, since there is nobody left to show anything to.
/// </summary>
public sealed class BrowserInterop(IJSRuntime js) : IAsyncDisposable
{
    /// <summary>The cookie (and local-storage key) that remembers the theme: "dark" or "light" (dashboard.js writes it).</summary>
    public const string ThemeCookie = "endpoint-dashboard.theme";

    private Task<IJSObjectReference>? _module;

    public ValueTask InstallShortcutsAsync() => InvokeVoidAsync("installShortcuts");

    public ValueTask InstallGridAsync(object grid) => InvokeVoidAsync("installGrid", grid);

    public ValueTask ScrollRowIntoViewAsync(object scroller, int index, double rowHeight) =>
        InvokeVoidAsync("scrollRowIntoView", scroller, index, rowHeight);

    public ValueTask FocusAsync(object element) => InvokeVoidAsync("focusElement", element);

    public ValueTask CopyTextAsync(string text) => InvokeVoidAsync("copyText", text);

    public async ValueTask<string?> LoadThemeAsync()
    {
        try
        {
            var module = await ModuleAsync();
            return module is null ? null : await module.InvokeAsync<string?>("loadTheme");
        }
        catch (JSDisconnectedException)
        {
            return null;
        }
    }

    /// <summary>True when the window is narrower than the drawer's breakpoint (960 px): the navigation starts folded.</summary>
    public async ValueTask<bool> IsNarrowAsync()
    {
        try
        {
            var module = await ModuleAsync();
            return module is not null && await module.InvokeAsync<bool>("isNarrow");
        }
        catch (JSDisconnectedException)
        {
            return false;
        }
    }

    public ValueTask SaveThemeAsync(string value) => InvokeVoidAsync("saveTheme", value);

    public async ValueTask DisposeAsync()
    {
        if (_module is { IsCompletedSuccessfully: true } task && task.Result is { } module)
        {
            try
            {
                await module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone; nothing to release there.
            }
        }
    }

    private async ValueTask InvokeVoidAsync(string identifier, params object?[] args)
    {
        try
        {
            if (await ModuleAsync() is { } module)
            {
                await module.InvokeVoidAsync(identifier, args);
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
    }

    private async Task<IJSObjectReference?> ModuleAsync() =>
        await (_module ??= js.InvokeAsync<IJSObjectReference>("import", "./_content/Dashboard.Client/dashboard.js").AsTask());
}
