using Dashboard.Server.Kubernetes;

namespace Dashboard.Server.Tests.Kubernetes;

public sealed class RetryBackoffTests
{
    [Fact]
    public void Delay_doubles_per_attempt_and_is_capped()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 0.5);

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(0, 7).Select(a => backoff.Delay(a).TotalSeconds));
        Assert.Equal(30, backoff.Delay(int.MaxValue).TotalSeconds);
    }

    [Fact]
    public void Jitter_keeps_the_delay_within_a_fifth_of_the_step_and_never_above_the_maximum()
    {
        var low = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 0.0);
        var high = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 1.0);
        var random = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        Assert.Equal(3.2, low.Delay(2).TotalSeconds, 9);
        Assert.Equal(4.8, high.Delay(2).TotalSeconds, 9);
        Assert.Equal(30, high.Delay(10).TotalSeconds);
        for (var i = 0; i < 100; i++)
        {
            Assert.InRange(random.Delay(3).TotalSeconds, 6.4, 9.6);
        }
    }

    [Fact]
    public void Each_failure_doubles_the_pause_up_to_the_maximum_and_a_success_ends_it()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), () => 0.5);
        var now = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

        var pauses = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            backoff.Fail(now);
            pauses.Add((backoff.Until!.Value - now).TotalSeconds);
        }

        Assert.Equal([5, 10, 20, 20], pauses);
        Assert.Equal(4, backoff.ConsecutiveFailures);
        Assert.True(backoff.IsActive(now + TimeSpan.FromSeconds(19)));
        Assert.False(backoff.IsActive(now + TimeSpan.FromSeconds(20)));
        backoff.Succeed();
        Assert.False(backoff.IsActive(now));
        Assert.Null(backoff.Until);
        backoff.Fail(now);
        Assert.Equal(now + TimeSpan.FromSeconds(5), backoff.Until);
    }
}
