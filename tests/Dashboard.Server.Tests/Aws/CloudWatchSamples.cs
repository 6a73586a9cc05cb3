using Dashboard.Server.Aws.CloudWatch;

namespace Dashboard.Server.Tests.Aws;

/// <summary>GetMetricData inputs and JSON 1.0 answers shaped like the CloudWatch API Reference examples.</summary>
internal static class CloudWatchSamples
{
    public static readonly DateTimeOffset Start = new(2024, 5, 2, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset End = new(2024, 5, 2, 9, 0, 0, TimeSpan.Zero);

    public static MetricDataQuery RequestCount(string id, string loadBalancer = "app/k8s-mlops-retailfo-3f2a1b9c7d/50dc6c495c0c9188") => new()
    {
        Id = id,
        MetricStat = new MetricStat
        {
            Metric = new Metric
            {
                Namespace = "AWS/ApplicationELB",
                MetricName = "RequestCount",
                Dimensions = [new Dimension("LoadBalancer", loadBalancer)],
            },
            Period = 60,
            Stat = "Sum",
        },
        ReturnData = true,
    };

    public static IReadOnlyList<MetricDataQuery> Queries(int count) => Enumerable.Range(0, count).Select(i => RequestCount($"m{i}")).ToArray();

    // 1714636800 = 2024-05-02T08:00:00Z
    public const string Page1 = """
        {
          "MetricDataResults": [
            {
              "Id": "requests",
              "Label": "RequestCount",
              "Timestamps": [1714636920, 1714636860],
              "Values": [120.0, 98.0],
              "StatusCode": "PartialData"
            },
            {
              "Id": "latency",
              "Label": "TargetResponseTime",
              "Timestamps": [1714636920.0],
              "Values": [0.0423],
              "StatusCode": "PartialData"
            }
          ],
          "NextToken": "token-page-2",
          "Messages": []
        }
        """;

    public const string Page2 = """
        {
          "MetricDataResults": [
            {
              "Id": "requests",
              "Label": "RequestCount",
              "Timestamps": [1714636800],
              "Values": [77.0],
              "StatusCode": "Complete"
            },
            {
              "Id": "latency",
              "Label": "TargetResponseTime",
              "Timestamps": [],
              "Values": [],
              "StatusCode": "Complete",
              "Messages": [{"Code": "MaxDatapointsExceeded", "Value": "sampled"}]
            }
          ],
          "Messages": [{"Code": "ArithmeticError", "Value": "none"}]
        }
        """;
}
