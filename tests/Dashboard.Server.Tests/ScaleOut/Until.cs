using Dashboard.Testing;

namespace Dashboard.Server.Tests.ScaleOut;

/// <summary>Bounded waits for a condition another thread or process makes true (checked every 50 ms; the bound only stops a hung test).</summary>
internal static class Until
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? Patience.Eventually;
        using var timeout = new CancellationTokenSource(limit);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds} s for {what}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? bound = null) => TrueAsync(() => Task.FromResult(condition()), what, bound);
}
