namespace Dashboard.Client.Model;

/// <summary>
/// One answer a page reads on demand through the feed (an object's details, a pod's log) and hands to a component:
/// the last answer, whether a read is under way, and why the last read failed. A newer read cancels the one before it, so
/// a slow answer for the previous selection never overwrites the current one. Not thread-safe: pages use it on the
/// renderer's synchronisation context.
/// </summary>
public sealed class OnDemandRead<T> : IDisposable where T : class
{
    private CancellationTokenSource? _current;

    /// <summary>The last answer; null before the first, while re-reading after <see cref="Clear"/>, or when the object is gone.</summary>
    public T? Value { get; private set; }

    public bool Loading { get; private set; }

    /// <summary>Why the last read gave nothing to show, one sentence; null when it succeeded.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Reads through <paramref name="read"/>. <paramref name="problemOf"/> turns an answer into an error sentence (or null
    /// when it is fine); <paramref name="failure"/> does the same for an exception. Returns when the read ended or was
    /// replaced by a newer one.
    /// </summary>
    public async Task LoadAsync(Func<CancellationToken, Task<T?>> read, Func<T?, string?> problemOf, Func<Exception, string> failure)
    {
        if (_current is not null)
        {
            await _current.CancelAsync();
            _current.Dispose();
        }
        var load = _current = new CancellationTokenSource();
        var token = load.Token;
        Loading = true;
        Error = null;
        try
        {
            var answer = await read(token);
            if (!token.IsCancellationRequested)
            {
                Value = answer;
                Error = problemOf(answer);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // A newer read replaced this one.
        }
        catch (Exception ex)
        {
            if (!token.IsCancellationRequested)
            {
                Error = failure(ex);
            }
        }
        finally
        {
            if (!token.IsCancellationRequested)
            {
                Loading = false;
            }
        }
    }

    /// <summary>Forgets the answer and cancels a read under way.</summary>
    public void Clear()
    {
        _current?.Cancel();
        Value = null;
        Error = null;
        Loading = false;
    }

    public void Dispose()
    {
        _current?.Cancel();
        _current?.Dispose();
    }
}
