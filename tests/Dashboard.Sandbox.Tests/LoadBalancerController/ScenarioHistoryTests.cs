using System.Globalization;
using System.Text.Json;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Aws.CloudWatch;
using Dashboard.Sandbox.Aws.CostExplorer;
using Dashboard.Sandbox.Cluster.Scenario;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.Aws;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>The seed scenario started with every balancer provisioned (shared by the history tests).</summary>
public sealed class ScenarioSandboxFixture : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;
    public AwsCli Cli { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await SandboxHost.StartAsync(new SandboxOptions
        {
            KubernetesUrl = "http://127.0.0.1:0",
            AwsUrl = "http://127.0.0.1:0",
            ProvisioningDelay = TimeSpan.FromMilliseconds(200),
        }, null, CancellationToken.None);
        Cli = new AwsCli(Host.AwsUri);
        Assert.True(await Wait.UntilAsync(() => Host.AwsWorld.GetLoadBalancers().Length == 7, Patience.Eventually), "the scenario's seven balancers");
    }

    public async Task DisposeAsync()
    {
        Cli.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>The scenario's world looks like it has been running: back-dated objects, balancers, metrics and costs.</summary>
public sealed class ScenarioHistoryTests(ScenarioSandboxFixture fixture) : IClassFixture<ScenarioSandboxFixture>
{
    private SandboxHost Host => fixture.Host;

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Created(System.Text.Json.Nodes.JsonObject? obj) =>
        DateTimeOffset.Parse(obj!["metadata"]!["creationTimestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private LoadBalancer BalancerOf(ResourceType type, string ns, string name)
    {
        var hostname = Host.Store.Get(type, ns, name)?["status"]?["loadBalancer"]?["ingress"]?[0]?["hostname"]?.GetValue<string>();
        return Host.AwsWorld.GetLoadBalancers().Single(lb => lb.DnsName == hostname);
    }

    [Fact]
    public async Task Scenario_objects_and_their_balancers_are_back_dated_stably_for_the_seed()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(await Wait.UntilAsync(() => Host.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-nlb")?["status"]?["loadBalancer"]?["ingress"] is not null
            && Host.Store.Get(ResourceTypes.Ingresses, "storefront", "storefront")?["status"]?["loadBalancer"]?["ingress"] is not null, Patience.Eventually));

        var mlops = Created(Host.Store.Get(ResourceTypes.Namespaces, null, "mlops"));
        Assert.InRange(now - mlops, TimeSpan.FromDays(39), TimeSpan.FromDays(41));
        var service = Host.Store.Get(ResourceTypes.Services, "mlops", "retail-forecast-nlb");
        var clock = new ScenarioClock(Host.Options.Seed, now);
        Assert.Equal(clock.ObjectCreated("mlops", "Service", "retail-forecast-nlb").ToUnixTimeSeconds(), Created(service).ToUnixTimeSeconds());
        Assert.True(Created(service) >= mlops, "an object is younger than its namespace");
        Assert.InRange(now - Created(Host.Store.Get(ResourceTypes.Namespaces, null, "payments")), TimeSpan.FromDays(20), TimeSpan.FromDays(401));

        // The balancer is as old as the Service it was made for; a shared ALB as old as its oldest Ingress.
        Assert.Equal(Created(service), BalancerOf(ResourceTypes.Services, "mlops", "retail-forecast-nlb").CreatedTime);
        var shop = BalancerOf(ResourceTypes.Ingresses, "storefront", "storefront");
        var oldestIngress = new[] { Created(Host.Store.Get(ResourceTypes.Ingresses, "storefront", "storefront")), Created(Host.Store.Get(ResourceTypes.Ingresses, "catalog", "catalog")) }.Min();
        Assert.Equal(oldestIngress, shop.CreatedTime);
        Assert.All(Host.AwsWorld.GetLoadBalancers(), lb => Assert.True(now - lb.CreatedTime > TimeSpan.FromDays(19), $"{lb.Name} created {lb.CreatedTime:O}"));

        // The cluster's own objects predate the scenario, and the kubernetes Service has its control plane endpoints.
        Assert.True(Created(Host.Store.Get(ResourceTypes.Services, "default", "kubernetes")) < mlops);
        var slice = Host.Store.Get(ResourceTypes.EndpointSlices, "default", "kubernetes");
        Assert.NotNull(slice);
        Assert.Equal("kubernetes", slice["metadata"]!["labels"]!["kubernetes.io/service-name"]!.GetValue<string>());
        Assert.Equal(2, slice["endpoints"]!.AsArray().Count(e => e!["conditions"]!["ready"]!.GetValue<bool>()));
        Assert.Equal(443, slice["ports"]![0]!["port"]!.GetValue<int>());
    }

    [Fact]
    public void Objects_created_by_clients_are_created_now()
    {
        // creationTimestamp has whole seconds: the moment before the call, truncated, is the earliest it can say.
        var before = DateTimeOffset.UtcNow;
        var created = Host.Store.Create(ResourceTypes.ConfigMaps, "mlops", new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "made-now" },
        });
        var after = DateTimeOffset.UtcNow;
        Assert.InRange(Created(created), before.AddTicks(-(before.Ticks % TimeSpan.TicksPerSecond)), after);
        Host.Store.Delete(ResourceTypes.ConfigMaps, "mlops", "made-now");
    }

    [Fact]
    public async Task Hourly_GetMetricData_over_30_days_reaches_back_past_15_days()
    {
        var alb = Host.AwsWorld.FindLoadBalancerByName("retail-forecast-alb")!;
        var end = ElbTrafficModel.AlignDown(DateTimeOffset.UtcNow, 3600);
        var start = end.AddDays(-30);
        var queries = JsonSerializer.Serialize(new object[]
        {
            new
            {
                Id = "lcu",
                MetricStat = new
                {
                    Metric = new { Namespace = "AWS/ApplicationELB", MetricName = "ConsumedLCUs", Dimensions = new[] { new { Name = "LoadBalancer", Value = alb.MetricDimension } } },
                    Period = 3600,
                    Stat = "Sum",
                },
            },
        });

        var json = await fixture.Cli.JsonAsync("cloudwatch", "get-metric-data", "--metric-data-queries", queries,
            "--start-time", Iso(start), "--end-time", Iso(end), "--scan-by", "TimestampAscending");

        var result = json.GetProperty("MetricDataResults")[0];
        var timestamps = result.GetProperty("Timestamps").EnumerateArray().Select(t => DateTimeOffset.FromUnixTimeMilliseconds((long)(t.GetDouble() * 1000))).ToList();
        Assert.Equal(30 * 24, timestamps.Count);
        Assert.Equal(start, timestamps[0]);
        Assert.All(result.GetProperty("Values").EnumerateArray(), v => Assert.True(v.GetDouble() > 0));
        // One-minute periods stop at 15 days, as CloudWatch keeps them.
        var lcu = new MetricIdentity("AWS/ApplicationELB", "ConsumedLCUs", new Dictionary<string, string> { ["LoadBalancer"] = alb.MetricDimension });
        Assert.Empty(Host.AwsTraffic.GetDatapoints(lcu, start, start.AddHours(1), 60, new MetricStatistic(MetricStatisticKind.Sum)));
        Assert.Equal(12, Host.AwsTraffic.GetDatapoints(lcu, start, start.AddHours(1), 300, new MetricStatistic(MetricStatisticKind.Sum)).Count);
    }

    [Fact]
    public async Task Previous_month_costs_for_the_cluster_tag_are_billed_and_match_CloudWatch_LCUs()
    {
        var today = DateTime.UtcNow.Date;
        var thisMonth = new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var filter = JsonSerializer.Serialize(new { Tags = new { Key = "elbv2.k8s.aws/cluster", Values = new[] { Host.Options.ClusterName } } });

        var json = await fixture.Cli.JsonAsync("ce", "get-cost-and-usage", "--time-period", $"Start={Day(thisMonth.AddMonths(-1))},End={Day(thisMonth)}",
            "--granularity", "MONTHLY", "--metrics", "UnblendedCost", "--filter", filter);

        var amount = decimal.Parse(json.GetProperty("ResultsByTime")[0].GetProperty("Total").GetProperty("UnblendedCost").GetProperty("Amount").GetString()!, CultureInfo.InvariantCulture);
        // The mlops ALB alone (40 days old) existed at least 9 days of the previous month at USD 0.0225 an hour.
        Assert.True(amount > 0.0225m * 24 * 9, $"previous month cost {amount}");

        // The billed LCU-hours of a past day equal the sum of that day's hourly ConsumedLCUs.
        var alb = Host.AwsWorld.FindLoadBalancerByName("retail-forecast-alb")!;
        var day = new DateTimeOffset(today.AddDays(-20), TimeSpan.Zero);
        var billed = new ElbCostModel(Host.AwsTraffic).LineItems(day, day.AddDays(1))
            .Single(i => i.ResourceId == alb.Arn && i.UsageType.EndsWith("-LCUUsage", StringComparison.Ordinal)).Usage;
        var lcu = new MetricIdentity("AWS/ApplicationELB", "ConsumedLCUs", new Dictionary<string, string> { ["LoadBalancer"] = alb.MetricDimension });
        var measured = Host.AwsTraffic.GetDatapoints(lcu, day, day.AddDays(1), 3600, new MetricStatistic(MetricStatisticKind.Sum)).Sum(p => p.Value);
        Assert.Equal((double)billed, measured, 3);
    }
}
