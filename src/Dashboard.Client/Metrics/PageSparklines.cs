namespace Dashboard.Client.Metrics;

/// <summary>
/// A list page's sparklines: the <see cref="SparklineBoard"/> its rows register with and the server's reader (absent on
/// a host without metrics: rows then show nothing). The page calls <see cref="RefreshIfDueAsync"/> after each render.
/// </summary>
public sealed class PageSparklines(IServiceProvider services) : IDisposable
{
    private readonly ISparklineReader? _reader = (ISparklineReader?)services.GetService(typeof(ISparklineReader));
    private readonly CancellationTokenSource _stop = new();

    public SparklineBoard Board { get; } = new();

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
        _stop.Cancel();
        _stop.Dispose();
    }
}
