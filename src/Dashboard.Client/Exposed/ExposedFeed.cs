using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Client.Exposed;

/// <summary>
/// The exposed endpoints as a feed derived from the dashboard feed's Services, Ingresses and load balancers (no source
/// of its own): the snapshot is <see cref="ExposedEndpoints.Build"/> over theirs; after any batch of any of the three,
/// the rows are rebuilt and only those that changed are sent.
/// </summary>
public sealed class ExposedFeed(IDashboardFeed feed) : IFeed<ExposedEndpoint>
{
    public ImmutableArray<ExposedEndpoint> Snapshot =>
        ExposedEndpoints.Build(feed.Services.Snapshot, feed.Ingresses.Snapshot, feed.LoadBalancers.Snapshot);

    public FeedSubscription<ExposedEndpoint> Subscribe(CancellationToken cancellationToken)
    {
        var state = new State(feed.Services.Subscribe(cancellationToken), feed.Ingresses.Subscribe(cancellationToken), feed.LoadBalancers.Subscribe(cancellationToken));
        return new FeedSubscription<ExposedEndpoint>(state.Rows, state.FollowAsync(cancellationToken));
    }

    private sealed class State
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, ServiceViewModel> _services;
        private readonly Dictionary<string, IngressViewModel> _ingresses;
        private readonly Dictionary<string, LoadBalancerViewModel> _balancers;
        private readonly FeedSubscription<ServiceViewModel> _serviceFeed;
        private readonly FeedSubscription<IngressViewModel> _ingressFeed;
        private readonly FeedSubscription<LoadBalancerViewModel> _balancerFeed;
        private Dictionary<string, ExposedEndpoint> _shown;

        public State(FeedSubscription<ServiceViewModel> services, FeedSubscription<IngressViewModel> ingresses, FeedSubscription<LoadBalancerViewModel> balancers)
        {
            (_serviceFeed, _ingressFeed, _balancerFeed) = (services, ingresses, balancers);
            _services = services.Snapshot.ToDictionary(s => s.Key, StringComparer.Ordinal);
            _ingresses = ingresses.Snapshot.ToDictionary(i => i.Key, StringComparer.Ordinal);
            _balancers = balancers.Snapshot.ToDictionary(b => b.Key, StringComparer.Ordinal);
            Rows = ExposedEndpoints.Build(_services.Values, _ingresses.Values, _balancers.Values);
            _shown = Rows.ToDictionary(r => r.Key, StringComparer.Ordinal);
        }

        public ImmutableArray<ExposedEndpoint> Rows { get; }

        public async IAsyncEnumerable<IReadOnlyList<FeedChange<ExposedEndpoint>>> FollowAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            // Any batch of the three marks the rows dirty; the reader rebuilds once per wake-up, however many came.
            var dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pumps = Task.WhenAll(
                PumpAsync(_serviceFeed.Changes, _services, dirty.Writer, stop.Token),
                PumpAsync(_ingressFeed.Changes, _ingresses, dirty.Writer, stop.Token),
                PumpAsync(_balancerFeed.Changes, _balancers, dirty.Writer, stop.Token));
            _ = pumps.ContinueWith(t => dirty.Writer.TryComplete(t.Exception?.GetBaseException()), TaskScheduler.Default);
            try
            {
                await foreach (var _ in dirty.Reader.ReadAllAsync(cancellationToken))
                {
                    var batch = Diff();
                    if (batch.Count > 0)
                    {
                        yield return batch;
                    }
                }
            }
            finally
            {
                await stop.CancelAsync();
            }
        }

        private async Task PumpAsync<T>(IAsyncEnumerable<IReadOnlyList<FeedChange<T>>> changes, Dictionary<string, T> items, ChannelWriter<bool> dirty, CancellationToken cancellationToken)
            where T : class
        {
            try
            {
                await foreach (var batch in changes.WithCancellation(cancellationToken))
                {
                    lock (_gate)
                    {
                        foreach (var change in batch)
                        {
                            if (change.Kind == FeedChangeKind.Upsert && change.Item is { } item)
                            {
                                items[change.Key] = item;
                            }
                            else
                            {
                                items.Remove(change.Key);
                            }
                        }
                    }
                    dirty.TryWrite(true);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The subscriber left.
            }
        }

        private List<FeedChange<ExposedEndpoint>> Diff()
        {
            ImmutableArray<ExposedEndpoint> rows;
            lock (_gate)
            {
                rows = ExposedEndpoints.Build(_services.Values.ToList(), _ingresses.Values.ToList(), _balancers.Values.ToList());
            }
            var next = rows.ToDictionary(r => r.Key, StringComparer.Ordinal);
            var batch = new List<FeedChange<ExposedEndpoint>>();
            foreach (var key in _shown.Keys.Where(k => !next.ContainsKey(k)))
            {
                batch.Add(FeedChange<ExposedEndpoint>.Delete(key));
            }
            foreach (var row in rows)
            {
                if (!_shown.TryGetValue(row.Key, out var old) || !Same(old, row))
                {
                    batch.Add(FeedChange<ExposedEndpoint>.Upsert(row.Key, row));
                }
            }
            _shown = next;
            return batch;
        }

        private static bool Same(ExposedEndpoint a, ExposedEndpoint b) =>
            a.Endpoint == b.Endpoint && a.Urls.SequenceEqual(b.Urls) && a.DnsName == b.DnsName && a.BalancerType == b.BalancerType && a.Scheme == b.Scheme
            && a.SourceRanges.SequenceEqual(b.SourceRanges) && a.WafAclArn == b.WafAclArn && a.CertificateArn == b.CertificateArn && a.SslRedirect == b.SslRedirect;
    }
}

/// <summary>The Exposed endpoints page's state: every row, the URL query (namespace, type ALB/NLB, scheme, search, sort).</summary>
public sealed class ExposedListModel() : ListModel<ExposedEndpoint, ListQuery>(
    static r => r.Key, static r => r.Namespace, ListQuery.Empty, ComparisonFor, Matches)
{
    public static IReadOnlyList<string> Types { get; } = ["ALB", "NLB", "CLB"];

    public static IReadOnlyList<string> Schemes { get; } = ["internet-facing", "internal"];

    private static bool Matches(ExposedEndpoint row, ListQuery query, IReadOnlyList<string> terms)
    {
        if (query.Namespace is { } ns && !string.Equals(row.Namespace, ns, StringComparison.Ordinal))
        {
            return false;
        }
        if (query.Type is { } type && !string.Equals(row.BalancerType, type, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (query.Scheme is { } scheme && !string.Equals(row.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return MatchesAll(row, terms, MatchesTerm);
    }

    private static bool MatchesTerm(ExposedEndpoint row, string term) =>
        Contains(row.Endpoint.Name, term) || Contains(row.Namespace, term) || ContainsAny(row.Urls, term) || Contains(row.DnsName, term)
        || Contains(row.BalancerType, term) || Contains(row.Scheme, term) || ContainsAny(row.SourceRanges, term) || Contains(row.WafAclArn, term)
        || Contains(row.CertificateArn, term) || (row.OpenToEveryone && Contains("open to every address", term));

    private static Comparison<ExposedEndpoint> ComparisonFor(string? column) => column switch
    {
        "name" => static (a, b) => string.CompareOrdinal(a.Endpoint.Name, b.Endpoint.Name),
        "type" => static (a, b) => string.CompareOrdinal(a.BalancerType, b.BalancerType),
        "scheme" => static (a, b) => string.CompareOrdinal(a.Scheme, b.Scheme),
        _ => static (a, b) => string.CompareOrdinal(a.Namespace, b.Namespace) is var c && c != 0
            ? c
            : string.CompareOrdinal(a.Endpoint.Name, b.Endpoint.Name) is var n && n != 0 ? n : a.Endpoint.Kind.CompareTo(b.Endpoint.Kind),
    };
}
