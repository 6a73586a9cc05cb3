namespace Dashboard.Server.Feed;

/// <summary>
/// What a data source reads (the AWS region, the Kubernetes context), added by <see cref="SourceStatusRegistry"/> to every
/// status that source publishes, so the source chip and <c>GET /api/v1/status</c> say it without each publisher knowing.
/// </summary>
public interface ISourceScope
{
    /// <summary>The source's key (<c>aws</c>, <c>kubernetes</c>).</summary>
    string Key { get; }

    /// <summary>What it reads, short (<c>us-east-1</c>, <c>sandbox-viewer</c>); null or empty for nothing to say.</summary>
    string? Scope { get; }
}
