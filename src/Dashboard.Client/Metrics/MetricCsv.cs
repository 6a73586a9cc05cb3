using System.Globalization;
using System.Text;

namespace Dashboard.Client.Metrics;

/// <summary>The series a Metrics section shows as CSV (time in UTC ISO 8601, one column per chart line; empty = no datapoint).</summary>
public static class MetricCsv
{
    public static string Build(MetricsView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var columns = view.Charts.SelectMany(c => c.Series.Select(s => (Name: $"{c.Definition.Title}: {s.Label}", Points: s.Times.Zip(s.Values).ToDictionary(p => p.First, p => p.Second)))).ToList();
        var times = columns.SelectMany(c => c.Points.Keys).Distinct().Order().ToList();
        var text = new StringBuilder();
        text.Append("time");
        foreach (var column in columns)
        {
            text.Append(',').Append(Quote(column.Name));
        }
        text.Append('\n');
        foreach (var time in times)
        {
            text.Append(DateTimeOffset.FromUnixTimeSeconds(time).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            foreach (var column in columns)
            {
                text.Append(',');
                if (column.Points.TryGetValue(time, out var value))
                {
                    text.Append(value.ToString("R", CultureInfo.InvariantCulture));
                }
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string Quote(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
        ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}
