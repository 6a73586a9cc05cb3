using System.Globalization;

namespace Dashboard.Sandbox.Cluster.Scenario;

/// <summary>
/// Back-dated creation times that make the seed scenario look like a world that has been running: the cluster
/// (its system namespaces and the <c>kubernetes</c> Service) about 420 days old, the <c>mlops</c> namespace 40 days
/// old, every other scenario namespace between 20 and 400 days old, and each object a few seeded hours after its
/// namespace. Deterministic: the same seed on the same UTC day gives the same instants (the anchor is today's
/// midnight, so ages stay put across restarts within a day).
/// </summary>
internal sealed class ScenarioClock(int seed, DateTimeOffset now)
{
    public static readonly TimeSpan MlopsAge = TimeSpan.FromDays(40);
    public static readonly TimeSpan MinimumAge = TimeSpan.FromDays(20);
    public static readonly TimeSpan MaximumAge = TimeSpan.FromDays(400);
    public static readonly TimeSpan ClusterAge = TimeSpan.FromDays(420);

    private static readonly HashSet<string> _systemNamespaces = new(StringComparer.Ordinal) { "default", "kube-system", "kube-public", "kube-node-lease" };

    private DateTimeOffset Anchor { get; } = new(now.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>When the EKS cluster (and its system namespaces) was created.</summary>
    public DateTimeOffset ClusterCreated => Anchor - ClusterAge + Hours("cluster", 24);

    /// <summary>When a namespace was created: the cluster's own at cluster creation, mlops 40 days ago, others seeded.</summary>
    public DateTimeOffset NamespaceCreated(string ns)
    {
        if (_systemNamespaces.Contains(ns))
        {
            return ClusterCreated;
        }
        var age = ns == "mlops"
            ? MlopsAge
            : MinimumAge + ((MaximumAge - MinimumAge) * Unit("namespace", ns));
        return Clamp(Anchor - age + Hours("namespace/" + ns, 12));
    }

    /// <summary>When a scenario object was created: a few seeded hours after its namespace (cluster-scoped: after the cluster).</summary>
    public DateTimeOffset ObjectCreated(string? ns, string kind, string name)
    {
        var origin = string.IsNullOrEmpty(ns) ? ClusterCreated : NamespaceCreated(ns);
        var spread = ns is not null && _systemNamespaces.Contains(ns) ? 24 * 30 : 6;
        return Clamp(origin + Hours($"object/{ns}/{kind}/{name}", spread));
    }

    private TimeSpan Hours(string key, int range) => TimeSpan.FromMinutes(Math.Floor(Unit(key) * range * 60));

    private double Unit(params ReadOnlySpan<string> parts)
    {
        string[] keyed = ["scenario-clock", seed.ToString(CultureInfo.InvariantCulture), .. parts];
        return (StableHash.Of(keyed) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Never later than an hour before now (a namespace made "today" must still be in the past).</summary>
    private DateTimeOffset Clamp(DateTimeOffset time) => time < now.AddHours(-1) ? time : now.AddHours(-1);
}
