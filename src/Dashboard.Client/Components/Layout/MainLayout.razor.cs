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
    private bool _interactive;
    private bool _narrow;
    private BrowserInterop? _browser;

    /// <summary>The theme the user chose, read from their cookie while prerendering and carried into the circuit, so the
    /// first paint is already in their theme (and the statically rendered sign-in pages follow it too).</summary>
    [PersistentState]
    public string? SavedTheme { get; set; }

    [CascadingParameter]
    private Microsoft.AspNetCore.Http.HttpContext? HttpContext { get; set; }

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>
    /// This page's path with the main content's fragment (never the base URL's, which would leave the page). The query is
    /// left out: dashboard.js handles the click without navigating, and a query (which may carry anything a link put in
    /// it) is never echoed into the page.
    /// </summary>
    private string SkipLinkHref => Navigation.ToBaseRelativePath(Navigation.Uri).Split('?', '#')[0] + "#main-content";

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
        if (HttpContext?.Request.Cookies[BrowserInterop.ThemeCookie] is { } cookie)
        {
            SavedTheme = cookie;
        }
        if (SavedTheme is "light" or "dark")
        {
            _darkMode = SavedTheme == "dark";
        }
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
            // A choice saved before the theme cookie existed lives in local storage only: honour it, and keep it.
            var saved = SavedTheme is null ? await _browser.LoadThemeAsync() : null;
            if (saved is "light" or "dark" && (saved == "dark") != _darkMode)
            {
                _darkMode = saved == "dark";
                await _browser.SaveThemeAsync(saved);
            }
            // On a phone the navigation is a drawer over the page: folded until the menu button opens it, folded again
            // once a link in it was followed.
            _narrow = await _browser.IsNarrowAsync();
            if (_narrow)
            {
                _drawerOpen = false;
                Navigation.LocationChanged += FoldDrawer;
            }
            _interactive = true;
            StateHasChanged();
        }
    }

    private void FoldDrawer(object? sender, Microsoft.AspNetCore.Components.Routing.LocationChangedEventArgs e)
    {
        if (_drawerOpen)
        {
            _ = InvokeAsync(() =>
            {
                _drawerOpen = false;
                StateHasChanged();
            });
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
        Navigation.LocationChanged -= FoldDrawer;
        await _watches.DisposeAsync();
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }
}
