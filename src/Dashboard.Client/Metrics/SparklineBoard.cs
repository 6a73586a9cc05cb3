namespace Dashboard.Client.Metrics;

/// <summary>
/// The sparklines of one list page. Rows on screen say what they show (<see cref="Want"/>) and stop when they leave
/// (<see cref="Release"/>; a virtualised list disposes rows scrolled away), so only what is visible is read. The page
/// calls <see cref="RefreshAsync"/> after rendering: every wanted line not read yet, or all of them once a minute, go
/// out in ONE read (one GetMetricData call on the server, shared with every other viewer through the series cache).
/// </summary>
public sealed class SparklineBoard
{
    /// <summary>How often the lines on screen are read again: CloudWatch has a new ELB datapoint once a minute.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (SparklineTarget Target, int Rows)> _wanted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Sparkline> _lines = new(StringComparer.Ordinal);
    private bool _reading;

    /// <summary>The last set read: its window, read time and stale reason.</summary>
    public SparklineSet? Last { get; private set; }

    /// <summary>When the last read that succeeded was answered.</summary>
    public DateTimeOffset? RefreshedAt { get; private set; }

    /// <summary>Why the last read failed outright (the reader threw), if it did.</summary>
    public string? Failure { get; private set; }

    /// <summary>Reads made so far (for tests and diagnostics).</summary>
    public int Reads { get; private set; }

    public int WantedCount => _wanted.Count;

    /// <summary>
    /// Raised when a row wants a line that has not been read: a virtualised list renders its rows on its own, after the
    /// page's render, so the page cannot rely on its own render to notice them.
    /// </summary>
    public event Action? Missing;

    public void Want(SparklineTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _wanted[target.Key] = _wanted.TryGetValue(target.Key, out var entry) ? (entry.Target, entry.Rows + 1) : (target, 1);
        if (!_lines.ContainsKey(target.Key))
        {
            Missing?.Invoke();
        }
    }

    public void Release(SparklineTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_wanted.TryGetValue(target.Key, out var entry))
        {
            if (entry.Rows <= 1)
            {
                _wanted.Remove(target.Key);
            }
            else
            {
                _wanted[target.Key] = (entry.Target, entry.Rows - 1);
            }
        }
    }

    public Sparkline? Get(SparklineTarget? target) => target is not null && _lines.TryGetValue(target.Key, out var line) ? line : null;

    /// <summary>True when a wanted line has not been read yet, or the lines are older than <see cref="RefreshInterval"/>.</summary>
    public bool Due(DateTimeOffset now) =>
        !_reading && _wanted.Count > 0 &&
        (_wanted.Keys.Any(k => !_lines.ContainsKey(k)) || RefreshedAt is not { } at || now - at >= RefreshInterval);

    /// <summary>
    /// Reads what is due in one call: the missing lines only, or every wanted line when the minute has turned.
    /// Returns true when something new arrived (the page renders again). Never throws for a failed read: the lines
    /// stay as they were and <see cref="Failure"/> says why.
    /// </summary>
    public async Task<bool> RefreshAsync(ISparklineReader reader, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!Due(now))
        {
            return false;
        }
        var all = RefreshedAt is not { } at || now - at >= RefreshInterval;
        var targets = _wanted.Where(w => all || !_lines.ContainsKey(w.Key)).Select(w => w.Value.Target)
            .Take(ISparklineReader.MaxTargets).ToList();
        _reading = true;
        Reads++;
        try
        {
            var set = await reader.ReadSparklinesAsync(targets, cancellationToken);
            foreach (var line in set.Lines)
            {
                _lines[line.Target.Key] = line;
            }
            Last = set;
            Failure = null;
            if (all)
            {
                RefreshedAt = now;
            }
            else
            {
                RefreshedAt ??= now;
            }
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failure = ex.Message;
            // Try again at the next minute, not on every render.
            RefreshedAt = now;
            foreach (var target in targets.Where(t => !_lines.ContainsKey(t.Key)))
            {
                _lines[target.Key] = new Sparkline { Target = target, Error = "not read: " + ex.Message };
            }
            return true;
        }
        finally
        {
            _reading = false;
        }
    }
}
