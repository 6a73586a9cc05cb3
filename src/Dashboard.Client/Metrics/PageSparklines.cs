namespace Dashboard.Client.Metrics;

/// <summary>
/// A list page's sparklines: the <see cref="SparklineBoard"/> its rows register with and the server's reader (absent on
/// a host without metrics: rows then show nothing). The page calls <see cref="RefreshIfDueAsync"/> after each render.
/// </summary>
public sealed class PageSparklines(IServiceProvider services) : IDisposable
{
    private readonly ISparklineReader? _reader = (ISparklineReader?)services.GetService(typeof(ISparklineReader));
    private readonly CancellationTokenSource _stop = new();

    private Func<Func<Task>, Task>? _invoke;
    private Func<DateTimeOffset>? _now;
    private Action? _render;
    private bool _scheduled;

    public SparklineBoard Board { get; } = new();

    /// <summary>
    /// Lets rows that appear outside the page's own render (a virtualised list scrolling) trigger the read:
    /// <paramref name="invoke"/> is the component's InvokeAsync, <paramref name="render"/> its StateHasChanged.
    /// </summary>
    public void Attach(Func<Func<Task>, Task> invoke, Func<DateTimeOffset> now, Action render)
    {
        (_invoke, _now, _render) = (invoke, now, render);
        Board.Missing += Schedule;
    }

    private void Schedule()
    {
        if (_scheduled || _invoke is null || _stop.IsCancellationRequested)
        {
            return;
        }
        _scheduled = true;
        _ = RunScheduledAsync();
    }

    private async Task RunScheduledAsync()
    {
        // Rows register while they render: read once the whole batch of them has registered.
        await Task.Yield();
        await _invoke!(async () =>
        {
            _scheduled = false;
            if (await RefreshIfDueAsync(_now!()))
            {
                _render!();
            }
        });
    }

    /// <summary>False when the host offers no metrics.</summary>
    public bool Available => _reader is not null;

    /// <summary>Reads what the rows on screen want, in one call, when due; true when the page should render again.</summary>
    public async Task<bool> RefreshIfDueAsync(DateTimeOffset now)
    {
        if (_reader is null || _stop.IsCancellationRequested || !Board.Due(now))
        {
            return false;
        }
        try
        {
            return await Board.RefreshAsync(_reader, now, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Board.Missing -= Schedule;
        _stop.Cancel();
        _stop.Dispose();
    }
}
