namespace Dashboard.Client.Model;

public sealed record HealthCheckView(string Protocol, string? Path, string Port, int IntervalSeconds, int TimeoutSeconds, int HealthyThreshold, int UnhealthyThreshold, string? Matcher);
