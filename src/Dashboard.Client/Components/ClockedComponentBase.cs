using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Client.Components;

/// <summary>
/// A component that shows times relative to now ("12 s ago") and re-renders itself — only itself — on the ticks of a
/// <see cref="PageClock"/>. Uses the registered <see cref="TimeProvider"/> when there is one (tests), else the system clock.
/// </summary>
public abstract class ClockedComponentBase : ComponentBase, IDisposable
{
    private PageClock? _ticks;

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    protected TimeProvider Clock { get; private set; } = TimeProvider.System;

    protected DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>How often the component re-renders; one second by default.</summary>
    protected virtual TimeSpan TickInterval => TimeSpan.FromSeconds(1);

    protected override void OnInitialized()
    {
        Clock = Services.GetService<TimeProvider>() ?? TimeProvider.System;
        _ticks = PageClock.Start(Services, TickInterval, InvokeAsync, StateHasChanged);
    }

    public void Dispose()
    {
        _ticks?.Dispose();
        GC.SuppressFinalize(this);
    }
}
