using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws;

/// <summary>
/// The sandbox's AWS account: ELBv2 load balancers, listeners, rules, target groups, registered targets with their
/// health, and tags. In memory and thread-safe: every read returns an immutable snapshot, every change happens under
/// one lock and bumps <see cref="Version"/>. The simulated load balancer controller and the target health state
/// machine write through the methods here; the emulator's front ends read and translate to the wire.
/// Errors are <see cref="AwsApiException"/>s carrying the code AWS would return.
/// </summary>
public sealed partial class AwsWorld
{
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, LoadBalancer> _loadBalancers = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, Listener> _listeners = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, ListenerRule> _rules = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, TargetGroup> _targetGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableList<RegisteredTarget>> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableSortedDictionary<string, string>> _tags = new(StringComparer.Ordinal);
    private long _sequence;
    private long _version;

    // The messages AWS gives: load balancers, listeners and rules looked up by ARN are "One or more … not found"; a
    // target group looked up by ARN is named ("Target groups 'arn:…' not found", as the load balancer controller logs it).
    internal const string LoadBalancersNotFound = "One or more load balancers not found";
    internal const string ListenersNotFound = "One or more listeners not found";
    internal const string RulesNotFound = "One or more rules not found";

    internal static string TargetGroupNotFound(string arn) => $"Target groups '{arn}' not found";

    public AwsWorld(string region, string accountId, string clusterName, int seed, TimeProvider? timeProvider = null)
    {
        Region = region;
        AccountId = accountId;
        ClusterName = clusterName;
        Seed = seed;
        TimeProvider = timeProvider ?? TimeProvider.System;
        DefaultVpcId = "vpc-0" + AwsArns.HexId(seed, "vpc");
        DefaultAvailabilityZones = [.. new[] { "a", "b", "c" }.Select(suffix => new LoadBalancerAvailabilityZone(
            region + suffix, "subnet-0" + AwsArns.HexId(seed, "subnet/" + suffix)))];
    }

    /// <summary>Builds the world the options describe (region, account, cluster name, seed).</summary>
    public static AwsWorld FromOptions(SandboxOptions options, TimeProvider? timeProvider = null) =>
        new(options.Region, options.AccountId, options.ClusterName, options.Seed, timeProvider);

    public string Region { get; }
    public string AccountId { get; }
    public string ClusterName { get; }
    public int Seed { get; }
    public TimeProvider TimeProvider { get; }
    public string DefaultVpcId { get; }

    /// <summary>One public subnet per zone, used when a load balancer spec names none.</summary>
    public ImmutableArray<LoadBalancerAvailabilityZone> DefaultAvailabilityZones { get; }

    /// <summary>Grows on every change; lets pollers and the traffic model notice changes cheaply.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Raised after every change, outside the lock, with the ARN that changed.</summary>
    public event Action<string>? Changed;

    // ---- reads -------------------------------------------------------------------------------------------------

    public ImmutableArray<LoadBalancer> GetLoadBalancers()
    {
        lock (_gate)
        {
            return [.. _loadBalancers.Values];
        }
    }

    public LoadBalancer? FindLoadBalancer(string arn)
    {
        lock (_gate)
        {
            return _loadBalancers.GetValueOrDefault(arn);
        }
    }

    public LoadBalancer? FindLoadBalancerByName(string name)
    {
        lock (_gate)
        {
            return _loadBalancers.Values.FirstOrDefault(lb => lb.Name == name);
        }
    }

    public LoadBalancer GetLoadBalancer(string arn) =>
        FindLoadBalancer(arn) ?? throw new AwsApiException("LoadBalancerNotFound", LoadBalancersNotFound);

    public ImmutableArray<Listener> GetListeners(string loadBalancerArn)
    {
        lock (_gate)
        {
            RequireLoadBalancer(loadBalancerArn);
            return [.. _listeners.Values.Where(l => l.LoadBalancerArn == loadBalancerArn)];
        }
    }

    public Listener? FindListener(string arn)
    {
        lock (_gate)
        {
            return _listeners.GetValueOrDefault(arn);
        }
    }

    public ImmutableArray<ListenerRule> GetRules(string listenerArn)
    {
        lock (_gate)
        {
            RequireListener(listenerArn);
            return OrderRules(_rules.Values.Where(r => r.ListenerArn == listenerArn));
        }
    }

    public ListenerRule? FindRule(string arn)
    {
        lock (_gate)
        {
            return _rules.GetValueOrDefault(arn);
        }
    }

    public ImmutableArray<TargetGroup> GetTargetGroups()
    {
        lock (_gate)
        {
            return [.. _targetGroups.Values];
        }
    }

    public TargetGroup? FindTargetGroup(string arn)
    {
        lock (_gate)
        {
            return _targetGroups.GetValueOrDefault(arn);
        }
    }

    public TargetGroup GetTargetGroup(string arn) =>
        FindTargetGroup(arn) ?? throw new AwsApiException("TargetGroupNotFound", TargetGroupNotFound(arn));

    /// <summary>Target groups a load balancer forwards to, through any listener or rule.</summary>
    public ImmutableArray<TargetGroup> GetTargetGroupsOf(string loadBalancerArn)
    {
        lock (_gate)
        {
            return [.. _targetGroups.Values.Where(tg => tg.LoadBalancerArns.Contains(loadBalancerArn))];
        }
    }

    public ImmutableList<RegisteredTarget> GetTargets(string targetGroupArn)
    {
        lock (_gate)
        {
            RequireTargetGroup(targetGroupArn);
            return _targets[targetGroupArn];
        }
    }

    /// <summary>The tags of a resource; empty when it has none. Unknown resources throw the type's not-found error.</summary>
    public ImmutableSortedDictionary<string, string> GetTags(string arn)
    {
        lock (_gate)
        {
            RequireResource(arn);
            return _tags.GetValueOrDefault(arn) ?? ImmutableSortedDictionary<string, string>.Empty;
        }
    }
}
