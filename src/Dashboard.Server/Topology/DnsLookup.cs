using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using DnsClient;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Topology;

/// <summary>Looks host names up for the custom-domain check. Never throws for DNS trouble: the answer says what happened.</summary>
public interface IDnsLookup
{
    Task<DnsAnswer> LookupAsync(string host, CancellationToken cancellationToken);
}

/// <summary>
/// DNS lookups with a cache (answers kept for <see cref="TopologyOptions.DnsCacheDuration"/>, one query in flight per name)
/// and a timeout. Offline, without a resolver, or on timeout the answer is <see cref="DnsOutcome.Unavailable"/> with the
/// reason, never an exception. The query itself is DnsClient's (A records with the CNAME chain) unless a test supplies one.
/// At most <see cref="MaxQueriesInFlight"/> queries are out at once: a cluster with thousands of Ingress hosts asks its
/// resolver a few at a time, instead of opening a socket per name.
/// </summary>
public sealed class DnsLookup : IDnsLookup
{
    public const int MaxQueriesInFlight = 8;
    private readonly SemaphoreSlim _inFlight = new(MaxQueriesInFlight);
    private readonly ConcurrentDictionary<string, Lazy<Task<DnsAnswer>>> _cache = new(StringComparer.Ordinal);
    private readonly Func<string, CancellationToken, Task<DnsAnswer>> _query;
    private readonly TopologyOptions _options;
    private readonly TimeProvider _time;

    public DnsLookup(IOptions<TopologyOptions> options, TimeProvider time)
        : this(options.Value, time, null)
    {
    }

    internal DnsLookup(TopologyOptions options, TimeProvider time, Func<string, CancellationToken, Task<DnsAnswer>>? query)
    {
        _options = options;
        _time = time;
        _query = query ?? CreateDnsClientQuery(options, time);
    }

    /// <summary>How many queries went out (tests check the cache and the bound).</summary>
    public int Queries => _queries;

    private int _queries;

    public async Task<DnsAnswer> LookupAsync(string host, CancellationToken cancellationToken)
    {
        var name = DnsAnswer.Normalize(host);
        if (!_options.DnsLookups)
        {
            return DnsAnswer.Unavailable(name, "DNS lookups are turned off (Dashboard:Topology:DnsLookups)", _time.GetUtcNow());
        }
        while (true)
        {
            var entry = _cache.GetOrAdd(name, n => new Lazy<Task<DnsAnswer>>(() => QueryAsync(n)));
            var answer = await entry.Value.WaitAsync(cancellationToken);
            if (_time.GetUtcNow() - answer.AsOf <= Lifetime(answer))
            {
                return answer;
            }
            _cache.TryRemove(new KeyValuePair<string, Lazy<Task<DnsAnswer>>>(name, entry));
        }
    }

    /// <summary>Failed lookups are retried sooner than good answers are refreshed.</summary>
    private TimeSpan Lifetime(DnsAnswer answer) =>
        answer.Outcome == DnsOutcome.Unavailable ? TimeSpan.FromTicks(Math.Min(_options.DnsCacheDuration.Ticks, TimeSpan.FromMinutes(1).Ticks)) : _options.DnsCacheDuration;

    /// <summary>One query, bounded by the timeout; not tied to any caller's token since its answer is shared.</summary>
    private async Task<DnsAnswer> QueryAsync(string name)
    {
        await _inFlight.WaitAsync();
        Interlocked.Increment(ref _queries);
        using var timeout = new CancellationTokenSource(_options.DnsTimeout, _time);
        try
        {
            return await _query(name, timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return DnsAnswer.Unavailable(name, string.Create(CultureInfo.InvariantCulture, $"no answer within {_options.DnsTimeout.TotalSeconds:0.#} s"), _time.GetUtcNow());
        }
        catch (Exception e)
        {
            return DnsAnswer.Unavailable(name, e.Message, _time.GetUtcNow());
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private static Func<string, CancellationToken, Task<DnsAnswer>> CreateDnsClientQuery(TopologyOptions options, TimeProvider time)
    {
        LookupClient? client = null;
        string? unavailable = null;
        return async (name, cancellationToken) =>
        {
            if (client is null && unavailable is null)
            {
                try
                {
                    client = new LookupClient(new LookupClientOptions
                    {
                        Timeout = options.DnsTimeout,
                        Retries = 1,
                        UseCache = true,
                        ThrowDnsErrors = false,
                        ContinueOnDnsError = false,
                    });
                }
                catch (Exception e)
                {
                    unavailable = "no DNS resolver configured: " + e.Message;
                }
            }
            if (client is null)
            {
                return DnsAnswer.Unavailable(name, unavailable!, time.GetUtcNow());
            }
            IDnsQueryResponse response;
            try
            {
                response = await client.QueryAsync(name, QueryType.A, QueryClass.IN, cancellationToken);
            }
            catch (DnsResponseException e)
            {
                return DnsAnswer.Unavailable(name, e.DnsError, time.GetUtcNow());
            }
            var now = time.GetUtcNow();
            if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            {
                return new DnsAnswer(name, DnsOutcome.NotFound, [], [], "NXDOMAIN", now);
            }
            if (response.HasError)
            {
                return DnsAnswer.Unavailable(name, response.ErrorMessage, now);
            }
            var cnames = response.Answers.CnameRecords().Select(r => DnsAnswer.Normalize(r.CanonicalName.Value)).ToImmutableArray();
            var addresses = response.Answers.ARecords().Select(r => r.Address.ToString()).ToImmutableArray();
            return addresses.IsEmpty && cnames.IsEmpty
                ? new DnsAnswer(name, DnsOutcome.NotFound, [], [], "no A or CNAME records", now)
                : new DnsAnswer(name, DnsOutcome.Resolved, cnames, addresses, null, now);
        };
    }
}
