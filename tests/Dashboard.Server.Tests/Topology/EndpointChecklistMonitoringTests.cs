using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Metrics;
using Dashboard.Server.Topology;

namespace Dashboard.Server.Tests.Topology;

/// <summary>"Monitoring present": metrics flowing and the newest datapoint's age, from what the metrics stage's reads saw.</summary>
public sealed class EndpointChecklistMonitoringTests
{
    private static (ChecklistItem Row, string Dimension) Monitoring(Func<string, ImmutableDictionary<string, BalancerMetricsFreshness>?> freshness)
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-forecast-1234567890", type: "application", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["ingress.k8s.aws/stack"] = "mlops/forecast" });
        var tg = aws.Group(lb, "k8s-mlops-forecast-tg");
        aws.Target(tg, "10.0.1.10", 8080);
        var k8s = new KubernetesSnapshot
        {
            Ingresses = [K8s.Ingress("mlops", "forecast", backends: ["forecast-svc"], hostname: lb.DnsName)],
            Services = [K8s.Service("mlops", "forecast-svc", type: "ClusterIP")],
        };
        var dimension = lb.LoadBalancerArn[(lb.LoadBalancerArn.IndexOf(":loadbalancer/", StringComparison.Ordinal) + ":loadbalancer/".Length)..];
        var ctx = K8s.Context() with { MetricsFreshness = freshness(dimension) };
        var row = TopologyBuilder.Build(k8s, aws.Build(), ctx).Endpoints["Ingress/mlops/forecast"].Checklist.Single(c => c.Code == "monitoring");
        return (row, dimension);
    }

    private static ImmutableDictionary<string, BalancerMetricsFreshness> Seen(string dimension, DateTimeOffset? newest) =>
        ImmutableDictionary<string, BalancerMetricsFreshness>.Empty.Add(dimension, new BalancerMetricsFreshness(newest, K8s.Now.AddSeconds(-20)));

    [Fact]
    public void Metrics_flowing_pass_with_the_newest_datapoints_age()
    {
        var (row, _) = Monitoring(d => Seen(d, K8s.Now.AddMinutes(-3)));

        Assert.Equal(CheckState.Pass, row.State);
        Assert.Contains("metrics flowing, newest datapoint 2 min old", row.Reason, StringComparison.Ordinal);
        Assert.Contains("Alarms are not checked", row.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_datapoint_or_an_old_one_warns_with_the_fix()
    {
        var (none, _) = Monitoring(d => Seen(d, null));
        var (old, _) = Monitoring(d => Seen(d, K8s.Now.AddMinutes(-40)));

        Assert.Equal(CheckState.Warn, none.State);
        Assert.Contains("no CloudWatch datapoint in the last hour", none.Reason, StringComparison.Ordinal);
        Assert.Contains("cloudwatch:GetMetricData", none.Reason, StringComparison.Ordinal);
        Assert.Equal(CheckState.Warn, old.State);
        Assert.Contains("39 min old", old.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_read_yet_or_no_metrics_stage_is_unknown_never_guessed()
    {
        var (notRead, _) = Monitoring(_ => ImmutableDictionary<string, BalancerMetricsFreshness>.Empty);
        var (noStage, _) = Monitoring(_ => null);

        Assert.Equal(CheckState.Unknown, notRead.State);
        Assert.Contains("not read yet", notRead.Reason, StringComparison.Ordinal);
        Assert.Equal(CheckState.Unknown, noStage.State);
    }
}
