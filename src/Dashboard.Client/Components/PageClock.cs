using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Client.Components;

/// <summary>
/// The time a page computes ages against, advanced on a period with a re-render through the page's dispatcher. Uses the
/// registered <see cref="TimeProvider"/> when there is one (tests), else the system clock.
/// </summary>
public sealed class PageClock : IDisposable
{
    private readonly ITimer _timer;

    private PageClock(TimeProvider time, TimeSpan period, Func<Action, Task> invoke, Action render)
    {
        Now = time.GetUtcNow();
        _timer = time.CreateTimer(_ => _ = invoke(() =>
        {
            Now = time.GetUtcNow();
            render();
        }), null, period, period);
    }

    /// <summary>The time as of the last tick.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <param name="services">Where a registered <see cref="TimeProvider"/> is looked up.</param>
    /// <param name="period">How often the time advances.</param>
    /// <param name="invoke">The page's <c>InvokeAsync</c>.</param>
    /// <param name="render">The page's <c>StateHasChanged</c>.</param>
    public static PageClock Start(IServiceProvider services, TimeSpan period, Func<Action, Task> invoke, Action render) =>
        new(services.GetService<TimeProvider>() ?? TimeProvider.System, period, invoke, render);

    public void Dispose() => _timer.Dispose();
}
