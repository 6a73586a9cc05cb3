namespace Dashboard.Client.Model;

public enum SourceState
{
    /// <summary>First list not finished yet.</summary>
    Syncing,
    /// <summary>Watching / polling normally.</summary>
    Live,
    /// <summary>Source failing; values shown are the last known, as of <see cref="SourceStatus.LastGoodAt"/>.</summary>
    Stale,
}

/// <summary>The health of one data source, shown in the layout's connection indicator and staleness banners.</summary>
public sealed record SourceStatus
{
    /// <summary>Stable key, e.g. "kubernetes", "aws-elbv2".</summary>
    public required string Key { get; init; }
    /// <summary>What a person calls it, e.g. "Kubernetes API".</summary>
    public required string DisplayName { get; init; }
    public required SourceState State { get; init; }
    /// <summary>When the source last answered successfully; null before the first success.</summary>
    public DateTimeOffset? LastGoodAt { get; init; }
    /// <summary>Why it is stale (the last error, without secrets); null when live.</summary>
    public string? Message { get; init; }
    /// <summary>
    /// What the source reads, when there is a choice: the AWS region (<c>us-east-1</c>) or the kubeconfig context. Shown
    /// with the source's name, so a person always knows which region or identity the data comes from.
    /// </summary>
    public string? Scope { get; init; }
    /// <summary>When the next retry happens, if one is scheduled.</summary>
    public DateTimeOffset? NextRetryAt { get; init; }
    /// <summary>
    /// With several replicas, the replica that polls for all of them (the Lease holder); null on other sources. The chip
    /// shows it with <see cref="LastGoodAt"/>, the age of what that replica last published.
    /// </summary>
    public string? PolledBy { get; init; }
    /// <summary>True when <see cref="PolledBy"/> is the replica serving this page.</summary>
    public bool PolledHere { get; init; }
}
