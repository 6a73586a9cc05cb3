namespace Dashboard.Server.Metrics;

/// <summary>Settings of the Metrics section's server side (<c>Dashboard:Metrics</c>, docs/configuration.md).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Dashboard:Metrics";

    /// <summary>The smallest bound accepted: one 90-day chart page of 5-minute points with room to spare.</summary>
    public const long MinimumCachePoints = 100_000;

    /// <summary>
    /// The series cache's bound in datapoints (each 16 bytes: a timestamp and a value, plus <see cref="MetricSeriesCache.EntryOverheadPoints"/>
    /// per series for its key and bookkeeping). Default 5,000,000 ≈ 80 MB; past it the least recently used series go first.
    /// </summary>
    public long CachePoints { get; set; } = 5_000_000;
}
