using System.Globalization;

namespace Dashboard.Client.Changes;

/// <summary>
/// The wizard's editable form: a <see cref="ChangeRequest"/> as text fields and switches. Converting back keeps what the
/// user typed (the server validates it and names the field), so the form never silently drops a value.
/// </summary>
public sealed class ChangeForm
{
    public string Action { get; set; } = ChangeActions.Expose;
    public string? Namespace { get; set; }
    public string WorkloadKind { get; set; } = "Deployment";
    public string? WorkloadName { get; set; }
    public string? TargetKind { get; set; }
    public string? TargetNamespace { get; set; }
    public string? TargetName { get; set; }
    public string Via { get; set; } = "nlb";
    public string? Name { get; set; }
    public string? Scheme { get; set; }
    public string? TargetType { get; set; }
    public int? Port { get; set; }
    public int? TargetPort { get; set; }
    public string? HealthCheckPath { get; set; }
    public string? HealthCheckPort { get; set; }
    public string? HealthCheckProtocol { get; set; }
    public string? SuccessCodes { get; set; }
    public int? IntervalSeconds { get; set; }
    public int? TimeoutSeconds { get; set; }
    public int? HealthyThreshold { get; set; }
    public int? UnhealthyThreshold { get; set; }

    /// <summary>Comma-separated CIDRs.</summary>
    public string? SourceRanges { get; set; }
    public string? CertificateArn { get; set; }
    public bool SslRedirect { get; set; }
    public string? SslPolicy { get; set; }
    public string? WafAclArn { get; set; }
    public int? DeregistrationDelaySeconds { get; set; }
    public bool Stickiness { get; set; }

    /// <summary>Comma-separated key=value pairs.</summary>
    public string? Tags { get; set; }
    public string? LoadBalancerName { get; set; }
    public string? Host { get; set; }
    public string? Path { get; set; }
    public string? Group { get; set; }

    public bool IsAlb => Action == ChangeActions.Expose ? Via == "alb" : TargetKind == "Ingress";

    public static ChangeForm From(ChangeRequest r) => new()
    {
        Action = r.Action ?? ChangeActions.Expose,
        Namespace = r.Namespace,
        WorkloadKind = r.Workload?.Kind ?? "Deployment",
        WorkloadName = r.Workload?.Name,
        TargetKind = r.Target?.Kind,
        TargetNamespace = r.Target?.Namespace,
        TargetName = r.Target?.Name,
        Via = r.Via ?? (r.Target?.Kind == "Ingress" ? "alb" : "nlb"),
        Name = r.Name,
        Scheme = r.Scheme,
        TargetType = r.TargetType,
        Port = r.Port,
        TargetPort = r.TargetPort,
        HealthCheckPath = r.HealthCheck?.Path,
        HealthCheckPort = r.HealthCheck?.Port,
        HealthCheckProtocol = r.HealthCheck?.Protocol,
        SuccessCodes = r.HealthCheck?.SuccessCodes,
        IntervalSeconds = r.HealthCheck?.IntervalSeconds,
        TimeoutSeconds = r.HealthCheck?.TimeoutSeconds,
        HealthyThreshold = r.HealthCheck?.HealthyThreshold,
        UnhealthyThreshold = r.HealthCheck?.UnhealthyThreshold,
        SourceRanges = r.SourceRanges is { Count: > 0 } ranges ? string.Join(", ", ranges) : null,
        CertificateArn = r.CertificateArn,
        SslRedirect = r.SslRedirect == true,
        SslPolicy = r.SslPolicy,
        WafAclArn = r.WafAclArn,
        DeregistrationDelaySeconds = r.DeregistrationDelaySeconds,
        Stickiness = r.Stickiness == true,
        Tags = r.Tags is { Count: > 0 } tags ? string.Join(", ", tags.Select(t => $"{t.Key}={t.Value}")) : null,
        LoadBalancerName = r.LoadBalancerName,
        Host = r.Host,
        Path = r.Path,
        Group = r.Group,
    };

    public ChangeRequest ToRequest()
    {
        var expose = Action == ChangeActions.Expose;
        var check = new HealthCheckRequest
        {
            Path = Blank(HealthCheckPath),
            Port = Blank(HealthCheckPort),
            Protocol = Blank(HealthCheckProtocol),
            SuccessCodes = Blank(SuccessCodes),
            IntervalSeconds = IntervalSeconds,
            TimeoutSeconds = TimeoutSeconds,
            HealthyThreshold = HealthyThreshold,
            UnhealthyThreshold = UnhealthyThreshold,
        };
        return new ChangeRequest
        {
            Action = Action,
            Namespace = expose ? Blank(Namespace) : null,
            Workload = expose ? new WorkloadRef(WorkloadKind, Blank(WorkloadName)) : null,
            Target = expose ? null : new TargetRef(TargetKind, TargetNamespace, TargetName),
            Via = expose ? Via : null,
            Name = expose ? Blank(Name) : null,
            Scheme = Blank(Scheme),
            TargetType = Blank(TargetType),
            Port = Port,
            TargetPort = expose ? TargetPort : null,
            HealthCheck = check == new HealthCheckRequest() ? null : check,
            SourceRanges = List(SourceRanges),
            CertificateArn = Blank(CertificateArn),
            SslRedirect = IsAlb ? SslRedirect : null,
            SslPolicy = Blank(SslPolicy),
            WafAclArn = IsAlb ? Blank(WafAclArn) : null,
            DeregistrationDelaySeconds = DeregistrationDelaySeconds,
            Stickiness = Stickiness ? true : null,
            Tags = Blank(Tags) is { } tags
                ? tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(t => t.Split('=', 2, StringSplitOptions.TrimEntries))
                    .GroupBy(p => p[0], StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Last().Length == 2 ? g.Last()[1] : "", StringComparer.Ordinal)
                : null,
            LoadBalancerName = Blank(LoadBalancerName),
            Host = IsAlb ? Blank(Host) : null,
            Path = IsAlb ? Blank(Path) : null,
            Group = IsAlb ? Blank(Group) : null,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static IReadOnlyList<string>? List(string? value) =>
        Blank(value) is { } text ? [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null;

    /// <summary>A number for display.</summary>
    public static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
