using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Tests.LoadBalancers;

public sealed class HealthCountMetricsTests
{
    private static readonly TargetGroup Web = new() { TargetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/k8s-mlops-web/73e2d6bc24d8a067", TargetGroupName = "k8s-mlops-web" };

    [Fact]
    public void Queries_use_the_arn_tails_as_dimensions_in_the_balancer_types_namespace()
    {
        var alb = Balancer("app/k8s-mlops-retailfo/50dc6c495c0c9188", "application");
        var nlb = Balancer("net/k8s-mlops-retailap/a1b2c3d4e5f60718", "network");

        var watched = new[] { HealthCountMetrics.Watch(Web, alb)!, HealthCountMetrics.Watch(Web, nlb)! };
        var queries = HealthCountMetrics.Queries(watched);

        Assert.Equal(["h0", "u0", "h1", "u1"], queries.Select(q => q.Id));
        Assert.Equal(("AWS/ApplicationELB", "HealthyHostCount", "Minimum", 60), (queries[0].MetricStat!.Metric.Namespace, queries[0].MetricStat!.Metric.MetricName, queries[0].MetricStat!.Stat, queries[0].MetricStat!.Period));
        Assert.Equal(("UnHealthyHostCount", "Maximum"), (queries[1].MetricStat!.Metric.MetricName, queries[1].MetricStat!.Stat));
        Assert.Equal([new Dimension("TargetGroup", "targetgroup/k8s-mlops-web/73e2d6bc24d8a067"), new Dimension("LoadBalancer", "app/k8s-mlops-retailfo/50dc6c495c0c9188")], queries[0].MetricStat!.Metric.Dimensions);
        Assert.Equal("AWS/NetworkELB", queries[2].MetricStat!.Metric.Namespace);
        Assert.Equal("net/k8s-mlops-retailap/a1b2c3d4e5f60718", queries[3].MetricStat!.Metric.Dimensions[1].Value);
    }

    [Fact]
    public void A_reading_is_the_latest_minute_with_the_unhealthy_count_of_that_minute()
    {
        var watched = new[] { HealthCountMetrics.Watch(Web, Balancer("app/a/50dc6c495c0c9188", "application"))! };
        var minute = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
        var response = new MetricDataResponse
        {
            MetricDataResults =
            [
                new MetricDataResult { Id = "h0", Timestamps = [minute.AddMinutes(1), minute], Values = [2, 3] },
                new MetricDataResult { Id = "u0", Timestamps = [minute, minute.AddMinutes(1)], Values = [0, 1] },
            ],
        };

        var reading = HealthCountMetrics.Readings(watched, response)[Web.TargetGroupArn];

        Assert.Equal(new HealthCountReading(2, 1, minute.AddMinutes(1)), reading);
        Assert.Empty(HealthCountMetrics.Readings(watched, new MetricDataResponse { MetricDataResults = [new MetricDataResult { Id = "h0" }] }));
    }

    private static LoadBalancer Balancer(string tail, string type) => new()
    {
        LoadBalancerArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/" + tail,
        LoadBalancerName = tail.Split('/')[1],
        Type = type,
    };
}
