using Microsoft.Extensions.Options;

namespace Dashboard.Server.ScaleOut;

/// <summary>How replicas agree on the one that polls AWS (<c>Dashboard:Leadership</c>).</summary>
public sealed class LeadershipOptions
{
    public const string SectionName = "Dashboard:Leadership";

    /// <summary>
    /// <c>Auto</c> (default): a Kubernetes Lease when the state store is shared (PostgreSQL), otherwise this replica alone
    /// polls. <c>Lease</c>: always elect through the Lease. <c>Single</c>: never elect (one replica only).
    /// </summary>
    public string Mode { get; set; } = "Auto";

    /// <summary>The Lease's namespace; empty means the pod's own namespace (in a cluster), else <c>default</c>.</summary>
    public string? Namespace { get; set; }

    /// <summary>The Lease's name: says it belongs to the dashboard.</summary>
    public string LeaseName { get; set; } = "endpoint-dashboard-aws-poller";

    /// <summary>This replica's name as written in the Lease; empty means <c>POD_NAME</c>, else host name and process id.</summary>
    public string? Identity { get; set; }

    /// <summary>How long a holder's claim lasts without renewal: the longest a failover takes.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the holder keeps trying to renew before it gives up leading.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates try to take the Lease, and the holder renews it.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    internal const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    internal LeadershipMode ParsedMode => Enum.TryParse<LeadershipMode>(Mode, ignoreCase: true, out var mode) ? mode : LeadershipMode.Auto;

    internal string EffectiveNamespace
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(Namespace))
            {
                return Namespace.Trim();
            }
            try
            {
                return File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : "default";
            }
            catch (IOException)
            {
                return "default";
            }
        }
    }

    internal string EffectiveIdentity => !string.IsNullOrWhiteSpace(Identity) ? Identity.Trim()
        : Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod
        : $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}";
}

public enum LeadershipMode
{
    Auto,
    Lease,
    Single,
}

/// <summary>Checks Dashboard:Leadership; every problem named with its key and the fix.</summary>
public sealed class ValidateLeadershipOptions : IValidateOptions<LeadershipOptions>
{
    public ValidateOptionsResult Validate(string? name, LeadershipOptions options)
    {
        var errors = new List<string>();
        var key = LeadershipOptions.SectionName;
        if (!Enum.TryParse<LeadershipMode>(options.Mode, ignoreCase: true, out _))
        {
            errors.Add($"{key}:Mode '{options.Mode}' is not known. Use Auto, Lease or Single.");
        }
        if (string.IsNullOrWhiteSpace(options.LeaseName) || options.LeaseName.Length > 253 || !options.LeaseName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
        {
            errors.Add($"{key}:LeaseName must be a Kubernetes object name (lower-case letters, digits, '-' and '.'), e.g. endpoint-dashboard-aws-poller.");
        }
        if (options.RetryPeriod <= TimeSpan.Zero)
        {
            errors.Add($"{key}:RetryPeriod must be positive, e.g. 00:00:02.");
        }
        if (options.RenewDeadline <= options.RetryPeriod)
        {
            errors.Add($"{key}:RenewDeadline must be longer than RetryPeriod ({options.RetryPeriod}), e.g. 00:00:10.");
        }
        if (options.LeaseDuration <= options.RenewDeadline)
        {
            errors.Add($"{key}:LeaseDuration must be longer than RenewDeadline ({options.RenewDeadline}), e.g. 00:00:15.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
