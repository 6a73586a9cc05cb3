using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Support;

/// <summary>
/// An in-memory <see cref="ITopologyFeed"/>: snapshots are set before a page subscribes; later batches are pushed into
/// an unbounded channel per stream. The target health summary is left to the interface's default (derived from the
/// load balancers), so tests exercise that default too.
/// </summary>
public sealed class TestTopologyFeed : ITopologyFeed
{
    private readonly Channel<IReadOnlyList<FeedChange<LoadBalancerViewModel>>> _loadBalancers = Channel.CreateUnbounded<IReadOnlyList<FeedChange<LoadBalancerViewModel>>>();
    private readonly Channel<IReadOnlyList<FeedChange<TriageItem>>> _triage = Channel.CreateUnbounded<IReadOnlyList<FeedChange<TriageItem>>>();
    private readonly ConcurrentDictionary<string, Channel<IReadOnlyList<FeedChange<EndpointViewModel>>>> _endpoints = new(StringComparer.Ordinal);

    public ImmutableArray<LoadBalancerViewModel> LoadBalancers { get; set; } = [];

    public ImmutableArray<TriageItem> Triage { get; set; } = [];

    /// <summary>Endpoint snapshots by <see cref="ObjectRef.Key"/>; a missing key gives an empty snapshot.</summary>
    public Dictionary<string, EndpointViewModel> Endpoints { get; } = new(StringComparer.Ordinal);

    /// <summary>Log text by "namespace/pod"; a missing key answers with an error, as the server does for a gone pod.</summary>
    public Dictionary<string, string> Logs { get; } = new(StringComparer.Ordinal);

    /// <summary>Every log request, as (namespace, pod, tail lines).</summary>
    public ConcurrentQueue<(string Namespace, string Pod, int TailLines)> LogRequests { get; } = new();

    /// <summary>Every endpoint subscribed to, in order, with the token passed.</summary>
    public ConcurrentQueue<(ObjectRef Endpoint, CancellationToken Token)> EndpointSubscriptions { get; } = new();

    public CancellationToken TriageToken { get; private set; }

    public FeedSubscription<LoadBalancerViewModel> SubscribeLoadBalancers(CancellationToken cancellationToken) =>
        new(LoadBalancers, _loadBalancers.Reader.ReadAllAsync(cancellationToken));

    public FeedSubscription<TriageItem> SubscribeTriage(CancellationToken cancellationToken)
    {
        TriageToken = cancellationToken;
        return new(Triage, _triage.Reader.ReadAllAsync(cancellationToken));
    }

    public FeedSubscription<EndpointViewModel> SubscribeEndpoint(ObjectRef endpoint, CancellationToken cancellationToken)
    {
        EndpointSubscriptions.Enqueue((endpoint, cancellationToken));
        var channel = _endpoints.GetOrAdd(endpoint.Key, _ => Channel.CreateUnbounded<IReadOnlyList<FeedChange<EndpointViewModel>>>());
        ImmutableArray<EndpointViewModel> snapshot = Endpoints.TryGetValue(endpoint.Key, out var found) ? [found] : [];
        return new(snapshot, channel.Reader.ReadAllAsync(cancellationToken));
    }

    public Task<PodLog> GetPodLogAsync(string @namespace, string pod, int tailLines, CancellationToken cancellationToken)
    {
        LogRequests.Enqueue((@namespace, pod, tailLines));
        return Task.FromResult(Logs.TryGetValue($"{@namespace}/{pod}", out var text)
            ? new PodLog(@namespace, pod, text, Truncated: false, Error: null, Objects.Now)
            : new PodLog(@namespace, pod, "", Truncated: false, Error: $"pods \"{pod}\" not found", Objects.Now));
    }

    public void Push(params FeedChange<LoadBalancerViewModel>[] batch) => _loadBalancers.Writer.TryWrite(batch);

    public void Push(params FeedChange<TriageItem>[] batch) => _triage.Writer.TryWrite(batch);

    public void Push(ObjectRef endpoint, params FeedChange<EndpointViewModel>[] batch) =>
        _endpoints.GetOrAdd(endpoint.Key, _ => Channel.CreateUnbounded<IReadOnlyList<FeedChange<EndpointViewModel>>>()).Writer.TryWrite(batch);
}
