using Microsoft.Extensions.Options;

namespace Dashboard.Server.Topology;

/// <summary>The topology join and its feed: keys <c>Dashboard:Topology:*</c>.</summary>
public sealed class TopologyOptions
{
    public const string SectionName = "Dashboard:Topology";

    /// <summary>
    /// The EKS cluster name the controller tags balancers with (<c>elbv2.k8s.aws/cluster</c>). Empty: the sandbox's
    /// cluster in sandbox mode, else inferred from the balancers whose tags name a live object.
    /// </summary>
    public string? ClusterName { get; set; }

    /// <summary>How long changes are gathered before the topology is recomputed.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Custom-domain checks: whether to look names up at all, how long to wait, how long answers are kept.</summary>
    public bool DnsLookups { get; set; } = true;
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan DnsCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Pod log tails: most lines and bytes read, and the time allowed.</summary>
    public int PodLogMaxLines { get; set; } = 1000;
    public int PodLogMaxBytes { get; set; } = 256 * 1024;
    public TimeSpan PodLogTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Checks <see cref="TopologyOptions"/> at start; every error names its key.</summary>
public sealed class ValidateTopologyOptions : IValidateOptions<TopologyOptions>
{
    public ValidateOptionsResult Validate(string? name, TopologyOptions options)
    {
        var errors = new List<string>();
        if (options.Debounce < TimeSpan.Zero || options.Debounce > TimeSpan.FromSeconds(10))
        {
            errors.Add($"{TopologyOptions.SectionName}:Debounce: must be between 00:00:00 and 00:00:10; e.g. 00:00:00.250.");
        }
        if (options.DnsTimeout <= TimeSpan.Zero || options.DnsTimeout > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{TopologyOptions.SectionName}:DnsTimeout: must be between 0 and 30 seconds; e.g. 00:00:02.");
        }
        if (options.DnsCacheDuration < TimeSpan.Zero)
        {
            errors.Add($"{TopologyOptions.SectionName}:DnsCacheDuration: must not be negative; e.g. 00:05:00.");
        }
        if (options.PodLogMaxLines is < 1 or > 100_000)
        {
            errors.Add($"{TopologyOptions.SectionName}:PodLogMaxLines: must be between 1 and 100000; e.g. 1000.");
        }
        if (options.PodLogMaxBytes is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add($"{TopologyOptions.SectionName}:PodLogMaxBytes: must be between 1024 and 16777216; e.g. 262144.");
        }
        if (options.PodLogTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{TopologyOptions.SectionName}:PodLogTimeout: must be positive; e.g. 00:00:10.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
