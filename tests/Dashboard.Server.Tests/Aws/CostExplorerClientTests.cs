using System.Text.Json;
using Dashboard.Server.Aws.CostExplorer;

namespace Dashboard.Server.Tests.Aws;

public sealed class CostExplorerClientTests : IAsyncLifetime
{
    private const string Json11 = "application/x-amz-json-1.1";
    private AwsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await AwsTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static CostAndUsageRequest ByClusterTag => new()
    {
        TimePeriod = DateInterval.Of(new DateOnly(2024, 5, 1), new DateOnly(2024, 5, 3)),
        Granularity = Granularity.Daily,
        Metrics = ["UnblendedCost"],
        Filter = CostExpression.Dimension("SERVICE", "Amazon Elastic Load Balancing"),
        GroupBy = [new GroupDefinition(GroupDefinitionType.Tag, "elbv2.k8s.aws/cluster")],
    };

    [Fact]
    public async Task GetCostAndUsage_sends_json_1_1_and_merges_pages()
    {
        _host.Server.Respond((request, index) =>
        {
            using var body = JsonDocument.Parse(request.BodyText);
            var token = body.RootElement.TryGetProperty("NextPageToken", out var t) ? t.GetString() : null;
            return (index, token) switch
            {
                (0, null) => CannedResponse.Json(CostExplorerSamples.ByTagPage1, contentType: Json11),
                (1, "page-2-token") => CannedResponse.Json(CostExplorerSamples.ByTagPage2, contentType: Json11),
                _ => CannedResponse.Json("""{"__type":"InvalidNextTokenException","Message":"bad"}""", 400, Json11),
            };
        });

        var costs = await _host.CostExplorer.GetCostAndUsageAsync(ByClusterTag);

        var first = _host.Server.Requests[0];
        Assert.Equal("AWSInsightsIndexService.GetCostAndUsage", first.Header("X-Amz-Target"));
        Assert.Equal(Json11, first.Header("Content-Type"));
        using (var sent = JsonDocument.Parse(first.BodyText))
        {
            var root = sent.RootElement;
            Assert.Equal("2024-05-01", root.GetProperty("TimePeriod").GetProperty("Start").GetString());
            Assert.Equal("2024-05-03", root.GetProperty("TimePeriod").GetProperty("End").GetString());
            Assert.Equal("DAILY", root.GetProperty("Granularity").GetString());
            Assert.Equal("UnblendedCost", root.GetProperty("Metrics")[0].GetString());
            var dimensions = root.GetProperty("Filter").GetProperty("Dimensions");
            Assert.Equal("SERVICE", dimensions.GetProperty("Key").GetString());
            Assert.Equal("Amazon Elastic Load Balancing", dimensions.GetProperty("Values")[0].GetString());
            var groupBy = root.GetProperty("GroupBy")[0];
            Assert.Equal(("TAG", "elbv2.k8s.aws/cluster"), (groupBy.GetProperty("Type").GetString(), groupBy.GetProperty("Key").GetString()));
        }
        Assert.Equal(2, _host.Server.Requests.Count);

        Assert.Equal(new GroupDefinition(GroupDefinitionType.Tag, "elbv2.k8s.aws/cluster"), Assert.Single(costs.GroupDefinitions));
        Assert.Equal(["2024-05-01", "2024-05-02"], costs.ResultsByTime.Select(r => r.TimePeriod.Start));
        var day1 = costs.ResultsByTime[0];
        Assert.False(day1.Estimated);
        Assert.Equal(["elbv2.k8s.aws/cluster$retail-forecast-cluster", "elbv2.k8s.aws/cluster$"], day1.Groups.Select(g => Assert.Single(g.Keys)));
        Assert.Equal(new MetricValue(1.0634512m, "USD"), day1.Groups[0].Metrics["UnblendedCost"]);
        Assert.True(costs.ResultsByTime[1].Estimated);
        Assert.Equal(0.000012m, costs.ResultsByTime[1].Groups[0].Metrics["UnblendedCost"].Amount);
    }

    [Fact]
    public async Task GetCostAndUsage_parses_totals_and_dimension_attributes()
    {
        _host.Server.RespondInOrder(CannedResponse.Json(CostExplorerSamples.Ungrouped, contentType: Json11));

        var costs = await _host.CostExplorer.GetCostAndUsageAsync(new CostAndUsageRequest
        {
            TimePeriod = DateInterval.Of(new DateOnly(2024, 4, 1), new DateOnly(2024, 5, 1)),
            Granularity = Granularity.Monthly,
            Metrics = ["UnblendedCost", "UsageQuantity"],
            Filter = CostExpression.AllOf(
                CostExpression.Dimension("SERVICE", "Amazon Elastic Load Balancing"),
                new CostExpression { Not = CostExpression.Tag("elbv2.k8s.aws/cluster") }),
        });

        using (var sent = JsonDocument.Parse(Assert.Single(_host.Server.Requests).BodyText))
        {
            var and = sent.RootElement.GetProperty("Filter").GetProperty("And");
            Assert.Equal(2, and.GetArrayLength());
            Assert.Equal("elbv2.k8s.aws/cluster", and[1].GetProperty("Not").GetProperty("Tags").GetProperty("Key").GetString());
            Assert.False(sent.RootElement.TryGetProperty("GroupBy", out _));
        }
        var month = Assert.Single(costs.ResultsByTime);
        Assert.Equal(new MetricValue(33.8124m, "USD"), month.Total["UnblendedCost"]);
        Assert.Equal(new MetricValue(1464m, "N/A"), month.Total["UsageQuantity"]);
        Assert.Empty(month.Groups);
        var account = Assert.Single(costs.DimensionValueAttributes);
        Assert.Equal("123456789012", account.Value);
        Assert.Equal("retail-prod", account.Attributes["description"]);
    }

    [Fact]
    public async Task GetCostAndUsageWithResources_uses_its_own_target_and_parses_resource_groups()
    {
        _host.Server.RespondInOrder(CannedResponse.Json(CostExplorerSamples.ByResource, contentType: Json11));

        var costs = await _host.CostExplorer.GetCostAndUsageWithResourcesAsync(ByClusterTag with
        {
            GroupBy = [new GroupDefinition(GroupDefinitionType.Dimension, "RESOURCE_ID")],
        });

        Assert.Equal("AWSInsightsIndexService.GetCostAndUsageWithResources", Assert.Single(_host.Server.Requests).Header("X-Amz-Target"));
        var group = Assert.Single(Assert.Single(costs.ResultsByTime).Groups);
        Assert.EndsWith("loadbalancer/app/k8s-mlops-retailfo-3f2a1b9c7d/50dc6c495c0c9188", Assert.Single(group.Keys));
        Assert.Equal(0.5712m, group.Metrics["UnblendedCost"].Amount);
    }

    [Fact]
    public async Task GetCostAndUsageWithResources_requires_a_filter()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _host.CostExplorer.GetCostAndUsageWithResourcesAsync(ByClusterTag with { Filter = null }));

        Assert.Contains("Filter", error.Message);
        Assert.Empty(_host.Server.Requests);
    }

    [Fact]
    public async Task GetCostForecast_sends_the_metric_and_parses_the_interval()
    {
        _host.Server.RespondInOrder(CannedResponse.Json(CostExplorerSamples.Forecast, contentType: Json11));

        var forecast = await _host.CostExplorer.GetCostForecastAsync(CostExplorerSamples.ForecastRequest);

        var request = Assert.Single(_host.Server.Requests);
        Assert.Equal("AWSInsightsIndexService.GetCostForecast", request.Header("X-Amz-Target"));
        using (var sent = JsonDocument.Parse(request.BodyText))
        {
            Assert.Equal("UNBLENDED_COST", sent.RootElement.GetProperty("Metric").GetString());
            Assert.Equal("MONTHLY", sent.RootElement.GetProperty("Granularity").GetString());
            Assert.Equal(80, sent.RootElement.GetProperty("PredictionIntervalLevel").GetInt32());
        }
        Assert.Equal(new MetricValue(57.65m, "USD"), forecast.Total);
        Assert.Equal(
            new ForecastResult(new DateInterval("2024-05-20", "2024-06-01"), 57.65m, 51.2m, 64.1m),
            Assert.Single(forecast.ForecastResultsByTime));
    }
}
