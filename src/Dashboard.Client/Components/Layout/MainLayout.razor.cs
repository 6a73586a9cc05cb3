using System.Security.Claims;
using Dashboard.Client.Authorization;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace Dashboard.Client.Components.Layout;

public sealed partial class MainLayout
{
    /// <summary>Name of the section at the end of the app bar, for the user menu.</summary>
    public const string AppBarEndSection = "app-bar-end";

    private readonly FeedWatches _watches = new();
    private readonly SourceStatusBoard _sources = new();
    private long _sourcesVersion;
    private string? _feedError;
    private bool _drawerOpen = true;
    private bool _darkMode = true;
    private BrowserInterop? _browser;

    [Inject]
    private IDashboardFeed Feed { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ILogger<MainLayout> Logger { get; set; } = default!;

    [Inject]
    private IAuthorizationService AuthorizationService { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _browser = new BrowserInterop(JS);
        // The cost source's state and errors are about cost: only for those who may read it.
        var user = AuthenticationState is null ? new ClaimsPrincipal(new ClaimsIdentity()) : (await AuthenticationState).User;
        var mayReadCost = (await AuthorizationService.AuthorizeAsync(user, DashboardPolicies.CostReader)).Succeeded;
        _sources.Include = key => mayReadCost || key != SourceStatusBoard.CostSourceKey;
        var subscription = Feed.Sources.Subscribe(_watches.Token);
        _sources.Reset(subscription.Snapshot);
        _watches.Consume(subscription, InvokeAsync, batch =>
        {
            _sources.Apply(batch);
            _sourcesVersion++;
        }, StateHasChanged, ex =>
        {
            Logger.LogError(ex, "The source status feed failed");
            _feedError = ex.Message;
        });
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _browser is not null)
        {
            await _browser.InstallShortcutsAsync();
            var saved = await _browser.LoadThemeAsync();
            if (saved is "light" or "dark" && (saved == "dark") != _darkMode)
            {
                _darkMode = saved == "dark";
                StateHasChanged();
            }
        }
    }

    private async Task ToggleDarkModeAsync()
    {
        _darkMode = !_darkMode;
        if (_browser is not null)
        {
            await _browser.SaveThemeAsync(_darkMode ? "dark" : "light");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _watches.DisposeAsync();
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }
}
