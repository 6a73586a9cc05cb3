using Bunit;
using Bunit.TestDoubles;
using Dashboard.Client.Authorization;
using Dashboard.Client.Feed;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using Dashboard.Testing;

namespace Dashboard.Client.Tests.Support;

/// <summary>bUnit context with MudBlazor, loose JS interop, a test feed, a fake clock and a popover provider.</summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    /// <summary>Bound for every wait on something the feed pushes.</summary>
    protected static readonly TimeSpan Timeout = Patience.Eventually;

    protected DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton<IDashboardFeed>(Feed);
        Services.AddSingleton<TimeProvider>(Clock);
        Authorization = this.AddAuthorization();
        Authorization.SetAuthorized("on-call");
        Authorization.SetPolicies(DashboardPolicies.Viewer, DashboardPolicies.CostReader, DashboardPolicies.SignedIn);
    }

    /// <summary>The signed-in test user: by default a Viewer and CostReader; tests narrow it with SetPolicies.</summary>
    protected BunitAuthorizationContext Authorization { get; }

    protected TestDashboardFeed Feed { get; } = new();

    protected FakeTimeProvider Clock { get; } = new(Objects.Now);

    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only IAsyncDisposable, so the container must be disposed asynchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>MudBlazor's tooltips and selects need a popover provider in the render tree.</summary>
    protected void RenderPopoverProvider() => Render<MudBlazor.MudPopoverProvider>();
}
