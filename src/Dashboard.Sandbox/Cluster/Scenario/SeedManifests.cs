using System.Collections.Concurrent;

namespace Dashboard.Sandbox.Cluster.Scenario;

/// <summary>
/// The seed workshop's manifests (reference/seed-elb-eks.md), kept once as YAML files embedded from
/// <c>Cluster/Scenario/Seed/</c>: the retail-forecast Deployment (<c>deployment.yaml</c>), its ClusterIP Service
/// (<c>service.yaml</c>), <c>service-loadbalancer.yaml</c>, <c>service-nlb-advanced.yaml</c>, <c>ingress-alb.yaml</c> and
/// <c>ingress-alb-advanced.yaml</c>. The seed scenario and the tests read them from here.
/// </summary>
public static class SeedManifests
{
    /// <summary>The placeholder the seed writes for the AWS account id.</summary>
    public const string AccountIdPlaceholder = "YOUR_ACCOUNT_ID";

    /// <summary>
    /// Every object of the seed scenario that gets a load balancer (the seed's own and the extra namespaces'), in the
    /// order the scenario creates them: what a test waits for before the scenario's balancers are all there.
    /// </summary>
    public static IReadOnlyList<(Kubernetes.ResourceType Type, string Namespace, string Name)> LoadBalancedObjects { get; } =
    [
        (Kubernetes.ResourceTypes.Services, "mlops", "retail-forecast-loadbalancer"),
        (Kubernetes.ResourceTypes.Services, "mlops", "retail-forecast-nlb"),
        (Kubernetes.ResourceTypes.Services, "payments", "payments-api-nlb"),
        (Kubernetes.ResourceTypes.Services, "storefront", "storefront-checkout-nlb"),
        (Kubernetes.ResourceTypes.Ingresses, "mlops", "retail-forecast-alb-ingress"),
        (Kubernetes.ResourceTypes.Ingresses, "mlops", "retail-forecast-alb-advanced"),
        (Kubernetes.ResourceTypes.Ingresses, "storefront", "storefront"),
        (Kubernetes.ResourceTypes.Ingresses, "catalog", "catalog"),
    ];

    private const string ResourcePrefix = "Dashboard.Sandbox.Cluster.Scenario.Seed.";
    private static readonly ConcurrentDictionary<string, string> _texts = new(StringComparer.Ordinal);

    /// <summary>The names of the seed's files, e.g. <c>service-nlb-advanced.yaml</c>.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
    [
        .. typeof(SeedManifests).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The text of one seed file as the seed writes it, placeholders (YOUR_ACCOUNT_ID, …) left in.</summary>
    public static string Read(string fileName) => _texts.GetOrAdd(fileName, Load);

    /// <summary>The text of one seed file with <see cref="AccountIdPlaceholder"/> replaced by <paramref name="accountId"/>.</summary>
    public static string Read(string fileName, string accountId) =>
        Read(fileName).Replace(AccountIdPlaceholder, accountId, StringComparison.Ordinal);

    /// <summary>
    /// Applies edits to a seed text, each replacing one piece that must stand in it exactly once, so that a test whose
    /// edit no longer matches the seed fails loudly instead of testing the unedited manifest.
    /// </summary>
    public static string Edit(string text, params IEnumerable<(string Seed, string Edited)> edits)
    {
        foreach (var (seed, edited) in edits)
        {
            var at = text.IndexOf(seed, StringComparison.Ordinal);
            if (at < 0 || text.IndexOf(seed, at + 1, StringComparison.Ordinal) >= 0)
            {
                throw new InvalidOperationException($"The seed manifest no longer holds exactly one '{seed}'; update the edit to match it.");
            }
            text = text.Replace(seed, edited, StringComparison.Ordinal);
        }
        return text;
    }

    private static string Load(string fileName)
    {
        using var stream = typeof(SeedManifests).Assembly.GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new ArgumentException(
                $"'{fileName}' is not one of the seed's manifests; use one of: {string.Join(", ", FileNames)}.", nameof(fileName));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n").TrimEnd('\n');
    }
}
