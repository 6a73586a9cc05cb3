using Dashboard.Server.Kubernetes;

namespace Dashboard.Server.Tests.Kubernetes;

public class RetryBackoffTests
{
    [Fact]
    public void Delay_doubles_per_attempt_and_is_capped()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 1.0);

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(0, 7).Select(a => backoff.Delay(a).TotalSeconds));
        Assert.Equal(30, backoff.Delay(int.MaxValue).TotalSeconds);
    }

    [Fact]
    public void Jitter_keeps_the_delay_between_half_and_all_of_the_step()
    {
        var low = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 0.0);
        var random = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        Assert.Equal(2, low.Delay(2).TotalSeconds);
        for (var i = 0; i < 100; i++)
        {
            var delay = random.Delay(3).TotalSeconds;
            Assert.InRange(delay, 4, 8);
        }
    }
}
