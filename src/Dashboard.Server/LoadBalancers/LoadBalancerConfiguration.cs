using System.Collections.Immutable;
using Dashboard.Server.Aws.ElasticLoadBalancing;

namespace Dashboard.Server.LoadBalancers;

/// <summary>The configuration reads besides the listing, one resource (or one batch of tags) each.</summary>
public enum ConfigurationDetail
{
    /// <summary>DescribeTags for up to 20 resources.</summary>
    Tags,

    /// <summary>DescribeListeners of a balancer, then DescribeRules of each listener of an ALB.</summary>
    Listeners,

    /// <summary>DescribeLoadBalancerAttributes.</summary>
    LoadBalancerAttributes,

    /// <summary>DescribeTargetGroupAttributes.</summary>
    TargetGroupAttributes,
}

/// <summary>
/// The configuration part of the snapshot (balancers, target groups, listeners, rules, attributes, tags) and when each
/// detail needs reading again. Anything read unchanged keeps its previous instance. Not thread-safe: the poll loop owns it.
/// </summary>
public sealed partial class LoadBalancerConfiguration(AwsPollingOptions options, Random random)
{
    private static readonly ImmutableDictionary<string, string> NoValues = ImmutableDictionary<string, string>.Empty;
    private readonly Dictionary<(ConfigurationDetail Kind, string Arn), DetailState> _details = [];

    public ImmutableArray<LoadBalancer> LoadBalancers { get; private set; } = [];
    public ImmutableArray<TargetGroup> TargetGroups { get; private set; } = [];
    public ImmutableDictionary<string, ImmutableArray<Listener>> Listeners { get; private set; } = ImmutableDictionary<string, ImmutableArray<Listener>>.Empty;
    public ImmutableDictionary<string, ImmutableArray<ListenerRule>> Rules { get; private set; } = ImmutableDictionary<string, ImmutableArray<ListenerRule>>.Empty;
    public ImmutableDictionary<string, ImmutableDictionary<string, string>> LoadBalancerAttributes { get; private set; } = ImmutableDictionary<string, ImmutableDictionary<string, string>>.Empty;
    public ImmutableDictionary<string, ImmutableDictionary<string, string>> TargetGroupAttributes { get; private set; } = ImmutableDictionary<string, ImmutableDictionary<string, string>>.Empty;
    public ImmutableDictionary<string, ImmutableDictionary<string, string>> Tags { get; private set; } = ImmutableDictionary<string, ImmutableDictionary<string, string>>.Empty;

    /// <summary>Grows whenever any part above is replaced.</summary>
    public long Version { get; private set; }

    /// <summary>True once every detail of every known resource has been read at least once.</summary>
    public bool AllRead => _details.Values.All(d => d.ReadAt is not null);

    /// <summary>
    /// Applies a listing: unchanged balancers and groups keep their instances; new ones, and changed ones, get their
    /// details read at once; vanished ones are dropped with everything hanging off them.
    /// </summary>
    public void ApplyListing(IReadOnlyList<LoadBalancer> loadBalancers, IReadOnlyList<TargetGroup> targetGroups, DateTimeOffset now)
    {
        var balancers = SameContent.Reuse(LoadBalancers, loadBalancers, lb => lb.LoadBalancerArn);
        var groups = SameContent.Reuse(TargetGroups, targetGroups, tg => tg.TargetGroupArn);
        var changed = Changed(LoadBalancers, balancers, lb => lb.LoadBalancerArn).Concat(Changed(TargetGroups, groups, tg => tg.TargetGroupArn)).ToList();

        // A target group that appears, moves or goes means a listener rule changed: re-read the balancers' listeners.
        var before = TargetGroups.ToDictionary(tg => tg.TargetGroupArn, StringComparer.Ordinal);
        var rulesChanged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups.Where(g => !before.TryGetValue(g.TargetGroupArn, out var old) || !ReferenceEquals(old, g)))
        {
            rulesChanged.UnionWith(group.LoadBalancerArns);
            rulesChanged.UnionWith(before.GetValueOrDefault(group.TargetGroupArn)?.LoadBalancerArns ?? []);
        }
        var lbArns = balancers.Select(lb => lb.LoadBalancerArn).ToHashSet(StringComparer.Ordinal);
        var tgArns = groups.Select(tg => tg.TargetGroupArn).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in LoadBalancers.Select(lb => lb.LoadBalancerArn).Where(a => !lbArns.Contains(a)))
        {
            ForgetLoadBalancer(gone);
        }
        foreach (var gone in TargetGroups.Where(tg => !tgArns.Contains(tg.TargetGroupArn)).ToList())
        {
            rulesChanged.UnionWith(gone.LoadBalancerArns);
            ForgetTargetGroup(gone.TargetGroupArn);
        }
        foreach (var arn in lbArns)
        {
            Track(ConfigurationDetail.Listeners, arn, now);
            Track(ConfigurationDetail.LoadBalancerAttributes, arn, now);
            Track(ConfigurationDetail.Tags, arn, now);
        }
        foreach (var arn in tgArns)
        {
            Track(ConfigurationDetail.TargetGroupAttributes, arn, now);
            Track(ConfigurationDetail.Tags, arn, now);
        }
        foreach (var arn in changed)
        {
            foreach (var (key, state) in _details.Where(d => d.Key.Arn == arn))
            {
                state.DirtyAt ??= now;
            }
        }
        foreach (var arn in rulesChanged)
        {
            if (_details.TryGetValue((ConfigurationDetail.Listeners, arn), out var listeners))
            {
                listeners.DirtyAt ??= now;
            }
        }
        if (balancers != LoadBalancers || groups != TargetGroups)
        {
            LoadBalancers = balancers;
            TargetGroups = groups;
            Version++;
        }
    }

    /// <summary>
    /// Details due at <paramref name="now"/>: one entry per resource, but tags in batches of up to 20 ARNs (one call)
    /// of the same priority.
    /// </summary>
    public IEnumerable<(ConfigurationDetail Kind, PollPriority Priority, DateTimeOffset Due, IReadOnlyList<string> Arns)> Due(DateTimeOffset now)
    {
        var tags = new List<(PollPriority Priority, DateTimeOffset Due, string Arn)>();
        foreach (var ((kind, arn), state) in _details)
        {
            var (priority, due) = state.ReadAt is null ? (PollPriority.New, state.AddedAt)
                : state.DirtyAt is { } dirtyAt ? (PollPriority.Changed, dirtyAt)
                : (PollPriority.Sweep, state.NextAt);
            if (due > now)
            {
                continue;
            }
            if (kind == ConfigurationDetail.Tags)
            {
                tags.Add((priority, due, arn));
            }
            else
            {
                yield return (kind, priority, due, [arn]);
            }
        }
        foreach (var byPriority in tags.GroupBy(t => t.Priority))
        {
            foreach (var batch in byPriority.OrderBy(t => t.Due).Chunk(ElasticLoadBalancingClient.MaxArnsPerCall))
            {
                yield return (ConfigurationDetail.Tags, byPriority.Key, batch[0].Due, [.. batch.Select(t => t.Arn)]);
            }
        }
    }

    public void ApplyListeners(string loadBalancerArn, IReadOnlyList<Listener> listeners, IReadOnlyDictionary<string, IReadOnlyList<ListenerRule>> rules, DateTimeOffset now)
    {
        var previous = Listeners.GetValueOrDefault(loadBalancerArn);
        var fresh = SameContent.Reuse(previous, listeners, l => l.ListenerArn);
        if (previous.IsDefault || fresh != previous)
        {
            Listeners = Listeners.SetItem(loadBalancerArn, fresh);
            Version++;
        }
        var kept = fresh.Select(l => l.ListenerArn).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in previous.IsDefault ? [] : previous.Select(l => l.ListenerArn).Where(a => !kept.Contains(a)))
        {
            Rules = Rules.Remove(gone);
            Version++;
        }
        foreach (var (listenerArn, listenerRules) in rules)
        {
            var old = Rules.GetValueOrDefault(listenerArn);
            var reused = SameContent.Reuse(old, listenerRules, r => r.RuleArn);
            if (old.IsDefault || reused != old)
            {
                Rules = Rules.SetItem(listenerArn, reused);
                Version++;
            }
        }
        MarkRead(ConfigurationDetail.Listeners, loadBalancerArn, now);
    }

    public void ApplyLoadBalancerAttributes(string loadBalancerArn, IEnumerable<LoadBalancerAttribute> attributes, DateTimeOffset now)
    {
        LoadBalancerAttributes = SetValues(LoadBalancerAttributes, loadBalancerArn, attributes.Select(a => KeyValuePair.Create(a.Key, a.Value)));
        MarkRead(ConfigurationDetail.LoadBalancerAttributes, loadBalancerArn, now);
    }

    public void ApplyTargetGroupAttributes(string targetGroupArn, IEnumerable<TargetGroupAttribute> attributes, DateTimeOffset now)
    {
        TargetGroupAttributes = SetValues(TargetGroupAttributes, targetGroupArn, attributes.Select(a => KeyValuePair.Create(a.Key, a.Value)));
        MarkRead(ConfigurationDetail.TargetGroupAttributes, targetGroupArn, now);
    }

    /// <summary>Tags of <paramref name="arns"/>; a resource AWS returned no description for has no tags (or is gone).</summary>
    public void ApplyTags(IReadOnlyList<string> arns, IReadOnlyList<TagDescription> descriptions, DateTimeOffset now)
    {
        var byArn = descriptions.ToDictionary(d => d.ResourceArn, StringComparer.Ordinal);
        foreach (var arn in arns)
        {
            var tags = byArn.GetValueOrDefault(arn)?.Tags ?? [];
            Tags = SetValues(Tags, arn, tags.Select(t => KeyValuePair.Create(t.Key, t.Value ?? string.Empty)));
            MarkRead(ConfigurationDetail.Tags, arn, now);
        }
    }

    /// <summary>Drops a balancer AWS says is gone, with its listeners, rules, attributes and tags.</summary>
    public void ForgetLoadBalancer(string loadBalancerArn)
    {
        var listeners = Listeners.GetValueOrDefault(loadBalancerArn);
        foreach (var listener in listeners.IsDefault ? [] : listeners)
        {
            Rules = Rules.Remove(listener.ListenerArn);
        }
        Listeners = Listeners.Remove(loadBalancerArn);
        LoadBalancerAttributes = LoadBalancerAttributes.Remove(loadBalancerArn);
        Tags = Tags.Remove(loadBalancerArn);
        var index = LoadBalancers.IndexOf(LoadBalancers.FirstOrDefault(lb => lb.LoadBalancerArn == loadBalancerArn)!);
        if (index >= 0)
        {
            LoadBalancers = LoadBalancers.RemoveAt(index);
        }
        foreach (var key in _details.Keys.Where(k => k.Arn == loadBalancerArn).ToList())
        {
            _details.Remove(key);
        }
        Version++;
    }

    /// <summary>Drops a target group AWS says is gone, with its attributes and tags.</summary>
    public void ForgetTargetGroup(string targetGroupArn)
    {
        TargetGroupAttributes = TargetGroupAttributes.Remove(targetGroupArn);
        Tags = Tags.Remove(targetGroupArn);
        var index = TargetGroups.IndexOf(TargetGroups.FirstOrDefault(tg => tg.TargetGroupArn == targetGroupArn)!);
        if (index >= 0)
        {
            TargetGroups = TargetGroups.RemoveAt(index);
        }
        foreach (var key in _details.Keys.Where(k => k.Arn == targetGroupArn).ToList())
        {
            _details.Remove(key);
        }
        Version++;
    }

    private void Track(ConfigurationDetail kind, string arn, DateTimeOffset now) =>
        _details.TryAdd((kind, arn), new DetailState { AddedAt = now, NextAt = now });

    private void MarkRead(ConfigurationDetail kind, string arn, DateTimeOffset now)
    {
        if (!_details.TryGetValue((kind, arn), out var state))
        {
            return;
        }
        // The first refresh is spread over the whole interval, later ones over its last part, so reads never bunch up.
        var share = state.ReadAt is null ? options.Jitter + ((1 - options.Jitter) * random.NextDouble()) : 1 - (options.Jitter * random.NextDouble());
        state.ReadAt = now;
        state.DirtyAt = null;
        state.NextAt = now + (options.ConfigurationDetailsInterval * share);
    }

    private ImmutableDictionary<string, ImmutableDictionary<string, string>> SetValues(
        ImmutableDictionary<string, ImmutableDictionary<string, string>> all, string arn, IEnumerable<KeyValuePair<string, string>> values)
    {
        var fresh = NoValues.SetItems(values);
        if (all.TryGetValue(arn, out var old) && old.Count == fresh.Count && fresh.All(kv => old.TryGetValue(kv.Key, out var v) && v == kv.Value))
        {
            return all;
        }
        Version++;
        return all.SetItem(arn, fresh);
    }

    private static IEnumerable<string> Changed<T>(ImmutableArray<T> before, ImmutableArray<T> after, Func<T, string> key) where T : class
    {
        var old = before.ToDictionary(key, StringComparer.Ordinal);
        return after.Where(item => old.TryGetValue(key(item), out var previous) && !ReferenceEquals(previous, item)).Select(key);
    }

    private sealed class DetailState
    {
        public required DateTimeOffset AddedAt { get; init; }
        public DateTimeOffset? ReadAt { get; set; }
        public DateTimeOffset NextAt { get; set; }
        public DateTimeOffset? DirtyAt { get; set; }
    }
}
