using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Dashboard.Client.Components.Pages.Triage;

/// <summary>
/// The topology pages' browser call (wwwroot/topology.js), imported lazily after the first render; a lost circuit
/// makes it a no-op.
/// </summary>
public sealed class TopologyBrowser(IJSRuntime js) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;

    /// <summary>Scrolls the item with <c>data-key</c> = <paramref name="key"/> inside <paramref name="container"/> into view and focuses it.</summary>
    public async ValueTask RevealItemAsync(ElementReference container, string key)
    {
        try
        {
            if (await (_module ??= js.InvokeAsync<IJSObjectReference>("import", "./_content/Dashboard.Client/topology.js").AsTask()) is { } module)
            {
                await module.InvokeVoidAsync("revealItem", container, key);
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
    }

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
}
