using Dashboard.Sandbox.Aws;

namespace Dashboard.Sandbox.Tests.Aws;

public sealed class AwsFaultsTests
{
    [Fact]
    public void Count_limits_a_rule_to_the_next_matching_requests()
    {
        var faults = new AwsFaults();
        faults.Add(new AwsFaultRule { Kind = AwsFaultKind.Throttle, Service = "elasticloadbalancing", Action = "DescribeTargetHealth", Count = 2 });

        Assert.Null(faults.Evaluate("elasticloadbalancing", "DescribeLoadBalancers").Error);
        Assert.NotNull(faults.Evaluate("elasticloadbalancing", "DescribeTargetHealth").Error);
        Assert.NotNull(faults.Evaluate("elasticloadbalancing", "describetargethealth").Error);
        Assert.Null(faults.Evaluate("elasticloadbalancing", "DescribeTargetHealth").Error);
        Assert.Empty(faults.Rules);
    }

    [Fact]
    public void Latency_adds_up_and_rate_applies_to_a_share()
    {
        var faults = new AwsFaults(seed: 1);
        faults.Add(new AwsFaultRule { Kind = AwsFaultKind.Latency, Latency = TimeSpan.FromMilliseconds(100) });
        faults.Add(new AwsFaultRule { Kind = AwsFaultKind.Latency, Latency = TimeSpan.FromMilliseconds(50), Service = "ce" });
        faults.Add(new AwsFaultRule { Kind = AwsFaultKind.ServerError, Rate = 0.5 });

        Assert.Equal(TimeSpan.FromMilliseconds(150), faults.Evaluate("ce", "GetCostAndUsage").Delay);
        var errors = Enumerable.Range(0, 1000).Count(_ => faults.Evaluate("monitoring", "GetMetricData").Error is not null);
        Assert.InRange(errors, 400, 600);
    }

    [Fact]
    public void Invalid_rules_are_rejected_naming_the_field()
    {
        var faults = new AwsFaults();

        Assert.Contains("Rate", Assert.Throws<ArgumentException>(() => faults.Add(new AwsFaultRule { Kind = AwsFaultKind.Throttle, Rate = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("StatusCode", Assert.Throws<ArgumentException>(() => faults.Add(new AwsFaultRule { Kind = AwsFaultKind.ServerError, StatusCode = 404 })).Message, StringComparison.Ordinal);
    }
}
