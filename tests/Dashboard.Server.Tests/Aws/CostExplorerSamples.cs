using Dashboard.Server.Aws.CostExplorer;

namespace Dashboard.Server.Tests.Aws;

/// <summary>Cost Explorer JSON 1.1 answers shaped like the examples of the AWS Billing and Cost Management API Reference.</summary>
internal static class CostExplorerSamples
{
    public static readonly CostForecastRequest ForecastRequest = new()
    {
        TimePeriod = DateInterval.Of(new DateOnly(2024, 5, 20), new DateOnly(2024, 6, 1)),
        Metric = "UNBLENDED_COST",
        Granularity = Granularity.Monthly,
        Filter = CostExpression.Dimension("SERVICE", "Amazon Elastic Load Balancing"),
        PredictionIntervalLevel = 80,
    };

    public const string ByTagPage1 = """
        {
          "GroupDefinitions": [{"Type": "TAG", "Key": "elbv2.k8s.aws/cluster"}],
          "ResultsByTime": [
            {
              "TimePeriod": {"Start": "2024-05-01", "End": "2024-05-02"},
              "Total": {},
              "Groups": [
                {"Keys": ["elbv2.k8s.aws/cluster$retail-forecast-cluster"], "Metrics": {"UnblendedCost": {"Amount": "1.0634512", "Unit": "USD"}}},
                {"Keys": ["elbv2.k8s.aws/cluster$"], "Metrics": {"UnblendedCost": {"Amount": "0.54", "Unit": "USD"}}}
              ],
              "Estimated": false
            }
          ],
          "DimensionValueAttributes": [],
          "NextPageToken": "page-2-token"
        }
        """;

    public const string ByTagPage2 = """
        {
          "GroupDefinitions": [{"Type": "TAG", "Key": "elbv2.k8s.aws/cluster"}],
          "ResultsByTime": [
            {
              "TimePeriod": {"Start": "2024-05-02", "End": "2024-05-03"},
              "Total": {},
              "Groups": [
                {"Keys": ["elbv2.k8s.aws/cluster$retail-forecast-cluster"], "Metrics": {"UnblendedCost": {"Amount": "1.2E-5", "Unit": "USD"}}}
              ],
              "Estimated": true
            }
          ],
          "DimensionValueAttributes": []
        }
        """;

    public const string Ungrouped = """
        {
          "GroupDefinitions": [],
          "ResultsByTime": [
            {
              "TimePeriod": {"Start": "2024-04-01", "End": "2024-05-01"},
              "Total": {
                "UnblendedCost": {"Amount": "33.8124", "Unit": "USD"},
                "UsageQuantity": {"Amount": "1464.0", "Unit": "N/A"}
              },
              "Groups": [],
              "Estimated": false
            }
          ],
          "DimensionValueAttributes": [
            {"Value": "123456789012", "Attributes": {"description": "retail-prod"}}
          ]
        }
        """;

    public const string ByResource = """
        {
          "GroupDefinitions": [{"Type": "DIMENSION", "Key": "RESOURCE_ID"}],
          "ResultsByTime": [
            {
              "TimePeriod": {"Start": "2024-05-14", "End": "2024-05-15"},
              "Total": {},
              "Groups": [
                {
                  "Keys": ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/k8s-mlops-retailfo-3f2a1b9c7d/50dc6c495c0c9188"],
                  "Metrics": {"UnblendedCost": {"Amount": "0.5712", "Unit": "USD"}}
                }
              ],
              "Estimated": true
            }
          ],
          "DimensionValueAttributes": []
        }
        """;

    public const string Forecast = """
        {
          "Total": {"Amount": "57.65", "Unit": "USD"},
          "ForecastResultsByTime": [
            {
              "TimePeriod": {"Start": "2024-05-20", "End": "2024-06-01"},
              "MeanValue": "57.65",
              "PredictionIntervalLowerBound": "51.2",
              "PredictionIntervalUpperBound": "64.1"
            }
          ]
        }
        """;
}
