namespace Dashboard.Client.Model;

/// <summary>A pod log an endpoint page shows under one target group: which pod, and its read.</summary>
public sealed class OpenPodLog(PodView pod) : IDisposable
{
    public PodView Pod { get; } = pod;

    public OnDemandRead<PodLog> Read { get; } = new();

    public void Dispose() => Read.Dispose();
}
