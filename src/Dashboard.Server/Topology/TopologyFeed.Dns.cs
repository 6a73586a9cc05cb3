using System.Collections.Immutable;

namespace Dashboard.Server.Topology;

/// <summary>The checklist's DNS answers: looked up in the background, batched, and a recompute when they arrive.</summary>
public sealed partial class TopologyFeed
{
    private void RequestDns(ImmutableArray<string> hosts)
    {
        foreach (var host in hosts)
        {
            lock (_gate)
            {
                if (_dnsAnswers.TryGetValue(host, out var known) && _time.GetUtcNow() - known.AsOf < _options.DnsCacheDuration)
                {
                    continue;
                }
                if (!_dnsPending.Add(host))
                {
                    continue;
                }
            }
            _ = ResolveAsync(host);
        }
    }

    private async Task ResolveAsync(string host)
    {
        DnsAnswer answer;
        try
        {
            answer = await _dns.LookupAsync(host, _stopping);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _dnsPending.Remove(host);
            }
            return;
        }
        catch (Exception e)
        {
            answer = DnsAnswer.Unavailable(host, e.Message, _time.GetUtcNow());
        }
        bool flushNow;
        lock (_gate)
        {
            _dnsPending.Remove(host);
            var changed = !_dnsAnswers.TryGetValue(host, out var old) || old.Outcome != answer.Outcome
                || !old.Addresses.SequenceEqual(answer.Addresses) || !old.CanonicalNames.SequenceEqual(answer.CanonicalNames);
            _dnsAnswers = _dnsAnswers.SetItem(host, answer);
            if (!changed)
            {
                return;
            }
            // The last answer awaited recomputes at once; otherwise answers are gathered for DnsBatchWindow, so thousands of
            // names answered a few at a time (a slow or absent resolver) make one recompute per window, not one per answer.
            flushNow = _dnsPending.Count == 0;
            if (!flushNow && _dnsFlushScheduled)
            {
                return;
            }
            _dnsFlushScheduled |= !flushNow;
        }
        if (flushNow)
        {
            Invalidate();
            return;
        }
        _ = FlushDnsLaterAsync();
    }

    private async Task FlushDnsLaterAsync()
    {
        try
        {
            await Task.Delay(DnsBatchWindow, _time, _stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        lock (_gate)
        {
            _dnsFlushScheduled = false;
        }
        Invalidate();
    }
}
