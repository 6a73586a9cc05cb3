using Seed = Dashboard.Sandbox.Cluster.Scenario.SeedManifests;

namespace Dashboard.EndToEnd.Tests.LoadBalancers;

/// <summary>
/// The seed workshop's <c>service-nlb-advanced.yaml</c> (reference/seed-elb-eks.md, step 2.2), verbatim but for its
/// namespace, and the three-replica retail-forecast Deployment it selects (both from the shared seed files).
/// </summary>
public static class SeedNlbManifest
{
    /// <summary>
    /// The seed's Service as written. Against a faithful cluster it does not do what its comments say:
    /// <c>aws-load-balancer-type: "nlb"</c> is the in-tree cloud provider's annotation (instance targets), and
    /// <c>aws-load-balancer-target-type</c>, <c>aws-load-balancer-healthy-threshold</c> and
    /// <c>aws-load-balancer-unhealthy-threshold</c> are read by no controller.
    /// </summary>
    public static string Service => Seed.Read("service-nlb-advanced.yaml");

    /// <summary>The seed's Deployment (step 11) without its liveness probe (the file's last block): the failing pod stays up.</summary>
    public static string Deployment
    {
        get
        {
            var deployment = Seed.Read("deployment.yaml", "123456789012");
            return deployment[..deployment.IndexOf("        livenessProbe:", StringComparison.Ordinal)].TrimEnd('\n');
        }
    }

    /// <summary>
    /// The edits that make the seed's Service do what its comments intend, each replacing one line exactly once so a
    /// drifted copy fails loudly: the AWS Load Balancer Controller (<c>external</c>) with ip targets, and the
    /// controller's names for the thresholds. The interval and timeout are shortened (NLB minimums: 5 s, 2 s) so the
    /// proof takes seconds rather than minutes.
    /// </summary>
    public static readonly IReadOnlyList<(string Seed, string Intended)> IntendedEdits =
    [
        ("aws-load-balancer-type: \"nlb\"", "aws-load-balancer-type: \"external\""),
        ("aws-load-balancer-target-type: \"ip\"", "aws-load-balancer-nlb-target-type: \"ip\""),
        ("aws-load-balancer-healthy-threshold: \"2\"", "aws-load-balancer-healthcheck-healthy-threshold: \"2\""),
        ("aws-load-balancer-unhealthy-threshold: \"2\"", "aws-load-balancer-healthcheck-unhealthy-threshold: \"2\""),
        ("aws-load-balancer-healthcheck-interval: \"30\"", "aws-load-balancer-healthcheck-interval: \"5\""),
        ("aws-load-balancer-healthcheck-timeout: \"6\"", "aws-load-balancer-healthcheck-timeout: \"2\""),
    ];

    public const int HealthCheckIntervalSeconds = 5;
    public const int UnhealthyThreshold = 2;

    /// <summary>A namespace and the Deployment in it.</summary>
    public static string Workload(string ns) =>
        $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n---\n" + Deployment.Replace("namespace: mlops", "namespace: " + ns, StringComparison.Ordinal);

    /// <summary>The seed's Service with <see cref="IntendedEdits"/>, in <paramref name="ns"/>.</summary>
    public static string IntendedService(string ns) =>
        Seed.Edit(Service, [.. IntendedEdits, ("namespace: mlops", "namespace: " + ns)]);
}
