using System.Globalization;

namespace Dashboard.Sandbox.Aws.CloudWatch;

/// <summary>A CloudWatch metric: namespace, name and the exact set of dimensions.</summary>
public sealed record MetricIdentity(string Namespace, string MetricName, IReadOnlyDictionary<string, string> Dimensions)
{
    public string? Dimension(string name) => Dimensions.GetValueOrDefault(name);
}

public enum MetricStatisticKind
{
    Sum,
    Average,
    Minimum,
    Maximum,
    SampleCount,
    Percentile,
}

/// <summary>A statistic: Sum, Average, Minimum, Maximum, SampleCount or a percentile such as <c>p99</c> or <c>p99.9</c>.</summary>
public sealed record MetricStatistic(MetricStatisticKind Kind, double Percentile = 0)
{
    public static MetricStatistic Parse(string text, string field)
    {
        switch (text)
        {
            case "Sum": return new(MetricStatisticKind.Sum);
            case "Average": return new(MetricStatisticKind.Average);
            case "Minimum": return new(MetricStatisticKind.Minimum);
            case "Maximum": return new(MetricStatisticKind.Maximum);
            case "SampleCount": return new(MetricStatisticKind.SampleCount);
        }
        if (text.Length > 1 && text[0] == 'p' &&
            double.TryParse(text[1..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percentile) &&
            percentile is > 0 and <= 100)
        {
            return new(MetricStatisticKind.Percentile, percentile);
        }
        throw new AwsApiException("ValidationError",
            $"The value {text} for parameter {field} is not supported: use Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99");
    }
}
