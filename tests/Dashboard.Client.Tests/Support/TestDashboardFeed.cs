using System.Collections.Immutable;
using System.Threading.Channels;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Support;

/// <summary>
/// An in-memory <see cref="IDashboardFeed"/>: snapshots are set before a page subscribes; later batches are pushed
/// into an unbounded channel per stream, as the server's feed would deliver them.
/// </summary>
public sealed class TestDashboardFeed : IDashboardFeed
{
    private readonly Channel<IReadOnlyList<FeedChange<ServiceViewModel>>> _services = Channel.CreateUnbounded<IReadOnlyList<FeedChange<ServiceViewModel>>>();
    private readonly Channel<IReadOnlyList<FeedChange<IngressViewModel>>> _ingresses = Channel.CreateUnbounded<IReadOnlyList<FeedChange<IngressViewModel>>>();
    private readonly Channel<IReadOnlyList<FeedChange<SourceStatus>>> _sources = Channel.CreateUnbounded<IReadOnlyList<FeedChange<SourceStatus>>>();

    public ImmutableArray<ServiceViewModel> Services { get; set; } = [];

    public ImmutableArray<IngressViewModel> Ingresses { get; set; } = [];

    public ImmutableArray<SourceStatus> Sources { get; set; } = [];

    /// <summary>Details by "kind/namespace/name"; a missing key answers null (object gone).</summary>
    public Dictionary<string, ObjectDetail> Details { get; } = new(StringComparer.Ordinal);

    /// <summary>The token the last Services subscriber passed, to check that it cancels on disposal.</summary>
    public CancellationToken ServicesToken { get; private set; }

    public FeedSubscription<ServiceViewModel> SubscribeServices(CancellationToken cancellationToken)
    {
        ServicesToken = cancellationToken;
        return new(Services, _services.Reader.ReadAllAsync(cancellationToken));
    }

    public FeedSubscription<IngressViewModel> SubscribeIngresses(CancellationToken cancellationToken) =>
        new(Ingresses, _ingresses.Reader.ReadAllAsync(cancellationToken));

    public FeedSubscription<SourceStatus> SubscribeSources(CancellationToken cancellationToken) =>
        new(Sources, _sources.Reader.ReadAllAsync(cancellationToken));

    public Task<ObjectDetail?> GetDetailAsync(ObjectKind kind, string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Details.GetValueOrDefault($"{kind}/{@namespace}/{name}"));

    public void Push(params FeedChange<ServiceViewModel>[] batch) => _services.Writer.TryWrite(batch);

    public void Push(params FeedChange<IngressViewModel>[] batch) => _ingresses.Writer.TryWrite(batch);

    public void Push(params FeedChange<SourceStatus>[] batch) => _sources.Writer.TryWrite(batch);
}
