using System.Collections.Immutable;
using System.Text.RegularExpressions;

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

    // ---- load balancers ----------------------------------------------------------------------------------------

    public LoadBalancer CreateLoadBalancer(LoadBalancerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidateName(spec.Name, "load balancer", allowInternalPrefix: false);
        if (spec.Scheme is not ("internet-facing" or "internal"))
        {
            throw AwsApiException.Validation($"Scheme '{spec.Scheme}' must be one of [internet-facing, internal]");
        }
        if (spec.IpAddressType is not ("ipv4" or "dualstack" or "dualstack-without-public-ipv4"))
        {
            throw AwsApiException.Validation($"IpAddressType '{spec.IpAddressType}' must be one of [ipv4, dualstack, dualstack-without-public-ipv4]");
        }
        LoadBalancer loadBalancer;
        lock (_gate)
        {
            if (_loadBalancers.Values.Any(lb => lb.Name == spec.Name))
            {
                throw new AwsApiException("DuplicateLoadBalancerName", $"A load balancer with the name '{spec.Name}' already exists");
            }
            var id = NewId("loadbalancer/" + spec.Name);
            var attributes = ElbDefaults.LoadBalancerAttributes(spec.Type);
            foreach (var (key, value) in spec.Attributes)
            {
                attributes = attributes.SetItem(RequireKnownKey(attributes, key), value);
            }
            loadBalancer = new LoadBalancer
            {
                Arn = AwsArns.LoadBalancer(Region, AccountId, spec.Type, spec.Name, id),
                Name = spec.Name,
                Id = id,
                Type = spec.Type,
                Scheme = spec.Scheme,
                DnsName = AwsArns.DnsName(Seed, spec.Type, spec.Scheme, spec.Name, id, Region),
                CanonicalHostedZoneId = AwsArns.CanonicalHostedZoneId(spec.Type, Region),
                State = spec.State,
                VpcId = spec.VpcId ?? DefaultVpcId,
                AvailabilityZones = spec.AvailabilityZones.IsDefaultOrEmpty ? DefaultZonesFor(spec.Scheme) : spec.AvailabilityZones,
                SecurityGroups = spec.SecurityGroups.IsDefault ? [] : spec.SecurityGroups,
                IpAddressType = spec.IpAddressType,
                CreatedTime = spec.CreatedTime ?? Now,
                Attributes = attributes,
            };
            _loadBalancers[loadBalancer.Arn] = loadBalancer;
            SetTagsLocked(loadBalancer.Arn, spec.Tags);
            _version++;
        }
        OnChanged(loadBalancer.Arn);
        return loadBalancer;
    }

    public LoadBalancer SetLoadBalancerState(string arn, LoadBalancerStateCode state) =>
        UpdateLoadBalancer(arn, lb => lb with { State = state });

    public LoadBalancer SetLoadBalancerSecurityGroups(string arn, IEnumerable<string> securityGroups) =>
        UpdateLoadBalancer(arn, lb => lb with { SecurityGroups = [.. securityGroups] });

    public LoadBalancer SetLoadBalancerSubnets(string arn, IEnumerable<LoadBalancerAvailabilityZone> zones) =>
        UpdateLoadBalancer(arn, lb => lb with { AvailabilityZones = [.. zones] });

    /// <summary>Sets attributes (ModifyLoadBalancerAttributes); unknown keys are a ValidationError.</summary>
    public LoadBalancer ModifyLoadBalancerAttributes(string arn, IEnumerable<KeyValuePair<string, string>> attributes) =>
        UpdateLoadBalancer(arn, lb =>
        {
            var result = lb.Attributes;
            foreach (var (key, value) in attributes)
            {
                result = result.SetItem(RequireKnownKey(lb.Attributes, key), value);
            }
            return lb with { Attributes = result };
        });

    /// <summary>Deletes a load balancer with its listeners and rules; target groups stay (as in AWS).</summary>
    public void DeleteLoadBalancer(string arn)
    {
        lock (_gate)
        {
            var loadBalancer = RequireLoadBalancer(arn);
            if (loadBalancer.Attributes.GetValueOrDefault("deletion_protection.enabled") == "true")
            {
                throw new AwsApiException("OperationNotPermitted", $"Load balancer '{arn}' cannot be deleted because deletion protection is enabled");
            }
            foreach (var listener in _listeners.Values.Where(l => l.LoadBalancerArn == arn).ToList())
            {
                RemoveListenerLocked(listener.Arn);
            }
            _loadBalancers.Remove(arn);
            _tags.Remove(arn);
            RelinkTargetGroupsLocked();
            _version++;
        }
        OnChanged(arn);
    }

    // ---- listeners and rules -----------------------------------------------------------------------------------

    /// <summary>Creates a listener and its default rule (priority <c>default</c>, the listener's default actions).</summary>
    public Listener CreateListener(string loadBalancerArn, ListenerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Listener listener;
        lock (_gate)
        {
            var loadBalancer = RequireLoadBalancer(loadBalancerArn);
            ValidateListenerSpec(loadBalancer, spec);
            if (_listeners.Values.Any(l => l.LoadBalancerArn == loadBalancerArn && l.Port == spec.Port))
            {
                throw new AwsApiException("DuplicateListener", "A listener already exists on this port for this load balancer");
            }
            var id = NewId("listener/" + loadBalancer.Name + "/" + spec.Port);
            listener = new Listener
            {
                Arn = AwsArns.Listener(loadBalancer, id),
                LoadBalancerArn = loadBalancerArn,
                Port = spec.Port,
                Protocol = spec.Protocol,
                Certificates = DefaultCertificate(spec.Certificates),
                SslPolicy = spec.SslPolicy ?? (spec.Protocol is "HTTPS" or "TLS" ? "ELBSecurityPolicy-2016-08" : null),
                AlpnPolicy = spec.AlpnPolicy.IsDefault ? [] : spec.AlpnPolicy,
                DefaultActions = spec.DefaultActions,
            };
            _listeners[listener.Arn] = listener;
            var ruleId = NewId("listener-rule/" + listener.Arn + "/default");
            var rule = new ListenerRule
            {
                Arn = AwsArns.ListenerRule(listener, ruleId),
                ListenerArn = listener.Arn,
                Priority = "default",
                Conditions = [],
                Actions = spec.DefaultActions,
                IsDefault = true,
            };
            _rules[rule.Arn] = rule;
            RelinkTargetGroupsLocked();
            _version++;
        }
        OnChanged(listener.Arn);
        return listener;
    }

    /// <summary>Replaces a listener's port, protocol, certificates, policy and default actions (ModifyListener).</summary>
    public Listener ModifyListener(string listenerArn, ListenerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Listener listener;
        lock (_gate)
        {
            var current = RequireListener(listenerArn);
            var loadBalancer = RequireLoadBalancer(current.LoadBalancerArn);
            ValidateListenerSpec(loadBalancer, spec);
            if (_listeners.Values.Any(l => l.LoadBalancerArn == current.LoadBalancerArn && l.Port == spec.Port && l.Arn != listenerArn))
            {
                throw new AwsApiException("DuplicateListener", "A listener already exists on this port for this load balancer");
            }
            listener = current with
            {
                Port = spec.Port,
                Protocol = spec.Protocol,
                Certificates = DefaultCertificate(spec.Certificates),
                SslPolicy = spec.SslPolicy ?? (spec.Protocol is "HTTPS" or "TLS" ? current.SslPolicy ?? "ELBSecurityPolicy-2016-08" : null),
                AlpnPolicy = spec.AlpnPolicy.IsDefault ? [] : spec.AlpnPolicy,
                DefaultActions = spec.DefaultActions,
            };
            _listeners[listenerArn] = listener;
            var defaultRule = _rules.Values.First(r => r.ListenerArn == listenerArn && r.IsDefault);
            _rules[defaultRule.Arn] = defaultRule with { Actions = spec.DefaultActions };
            RelinkTargetGroupsLocked();
            _version++;
        }
        OnChanged(listenerArn);
        return listener;
    }

    public void DeleteListener(string listenerArn)
    {
        lock (_gate)
        {
            RequireListener(listenerArn);
            RemoveListenerLocked(listenerArn);
            RelinkTargetGroupsLocked();
            _version++;
        }
        OnChanged(listenerArn);
    }

    /// <summary>Adds a rule (CreateRule) at a priority 1–50000 that no other rule of the listener uses.</summary>
    public ListenerRule CreateRule(string listenerArn, int priority, IEnumerable<RuleCondition> conditions, IEnumerable<RuleAction> actions)
    {
        ImmutableArray<RuleCondition> conditionList = [.. conditions];
        ImmutableArray<RuleAction> actionList = [.. actions];
        ListenerRule rule;
        lock (_gate)
        {
            var listener = RequireListener(listenerArn);
            ValidatePriority(priority);
            ValidateRule(conditionList, actionList);
            ValidateActionsLocked(actionList, RequireLoadBalancer(listener.LoadBalancerArn));
            if (_rules.Values.Any(r => r.ListenerArn == listenerArn && r.Priority == priority.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                throw new AwsApiException("PriorityInUse", $"Priority '{priority}' is currently in use");
            }
            var id = NewId("listener-rule/" + listenerArn + "/" + priority);
            rule = new ListenerRule
            {
                Arn = AwsArns.ListenerRule(listener, id),
                ListenerArn = listenerArn,
                Priority = priority.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Conditions = conditionList,
                Actions = actionList,
                IsDefault = false,
            };
            _rules[rule.Arn] = rule;
            RelinkTargetGroupsLocked();
            _version++;
        }
        OnChanged(rule.Arn);
        return rule;
    }

    /// <summary>Replaces a rule's conditions and actions (ModifyRule). The default rule takes actions only.</summary>
    public ListenerRule ModifyRule(string ruleArn, IEnumerable<RuleCondition> conditions, IEnumerable<RuleAction> actions)
    {
        ImmutableArray<RuleCondition> conditionList = [.. conditions];
        ImmutableArray<RuleAction> actionList = [.. actions];
        ListenerRule rule;
        lock (_gate)
        {
            var current = RequireRule(ruleArn);
            if (current.IsDefault && conditionList.Length > 0)
            {
                throw new AwsApiException("OperationNotPermitted", "Conditions cannot be specified for a default rule");
            }
            if (!current.IsDefault)
            {
                ValidateRule(conditionList, actionList);
            }
            var listener = RequireListener(current.ListenerArn);
            ValidateActionsLocked(actionList, RequireLoadBalancer(listener.LoadBalancerArn));
            rule = current with { Conditions = current.IsDefault ? [] : conditionList, Actions = actionList };
            _rules[ruleArn] = rule;
            if (current.IsDefault)
            {
                _listeners[listener.Arn] = listener with { DefaultActions = actionList };
            }
            RelinkTargetGroupsLocked();
            _version++;
        }
        OnChanged(ruleArn);
        return rule;
    }

    public ListenerRule SetRulePriority(string ruleArn, int priority)
    {
        ListenerRule rule;
        lock (_gate)
        {
            var current = RequireRule(ruleArn);
            if (current.IsDefault)
            {
                throw new AwsApiException("OperationNotPermitted", "The priority of a default rule cannot be changed");
            }
            ValidatePriority(priority);
            var text = priority.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_rules.Values.Any(r => r.ListenerArn == current.ListenerArn && r.Priority == text && r.Arn != ruleArn))
            {
                throw new AwsApiException("PriorityInUse", $"Priority '{priority}' is currently in use");
            }
            rule = current with { Priority = text };
            _rules[ruleArn] = rule;
            _version++;
        }
        OnChanged(ruleArn);
        return rule;
    }

    public void DeleteRule(string ruleArn)
    {
        lock (_gate)
        {
            if (RequireRule(ruleArn).IsDefault)
            {
                throw new AwsApiException("OperationNotPermitted", "A default rule cannot be deleted");
            }
            _rules.Remove(ruleArn);
            _tags.Remove(ruleArn);
            RelinkTargetGroupsLocked();
            _version++;
        }
        OnChanged(ruleArn);
    }

    // ---- target groups and targets -----------------------------------------------------------------------------

    public TargetGroup CreateTargetGroup(TargetGroupSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidateName(spec.Name, "target group", allowInternalPrefix: true);
        if (spec.Protocol is not ("HTTP" or "HTTPS" or "TCP" or "TLS" or "UDP" or "TCP_UDP"))
        {
            throw AwsApiException.Validation($"Protocol '{spec.Protocol}' must be one of [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP]");
        }
        if (spec.TargetType is not ("instance" or "ip" or "lambda" or "alb"))
        {
            throw AwsApiException.Validation($"TargetType '{spec.TargetType}' must be one of [instance, ip, lambda, alb]");
        }
        ValidatePort(spec.Port, "Port");
        TargetGroup targetGroup;
        lock (_gate)
        {
            if (_targetGroups.Values.Any(tg => tg.Name == spec.Name))
            {
                throw new AwsApiException("DuplicateTargetGroupName", $"A target group with the same name '{spec.Name}' exists, but with different settings");
            }
            var id = NewId("targetgroup/" + spec.Name);
            var attributes = ElbDefaults.TargetGroupAttributes(spec.Protocol, spec.TargetType);
            foreach (var (key, value) in spec.Attributes)
            {
                attributes = attributes.SetItem(RequireKnownKey(attributes, key), value);
            }
            targetGroup = new TargetGroup
            {
                Arn = AwsArns.TargetGroup(Region, AccountId, spec.Name, id),
                Name = spec.Name,
                Id = id,
                Protocol = spec.Protocol,
                Port = spec.Port,
                VpcId = spec.VpcId ?? DefaultVpcId,
                TargetType = spec.TargetType,
                ProtocolVersion = spec.ProtocolVersion ?? (ElbDefaults.IsLayer7(spec.Protocol) ? "HTTP1" : null),
                IpAddressType = spec.IpAddressType,
                HealthCheck = spec.HealthCheck ?? ElbDefaults.HealthCheckFor(spec.Protocol),
                Attributes = attributes,
            };
            ValidateHealthCheck(targetGroup.HealthCheck);
            _targetGroups[targetGroup.Arn] = targetGroup;
            _targets[targetGroup.Arn] = [];
            SetTagsLocked(targetGroup.Arn, spec.Tags);
            _version++;
        }
        OnChanged(targetGroup.Arn);
        return targetGroup;
    }

    /// <summary>Replaces the health check settings (ModifyTargetGroup), validated as AWS does.</summary>
    public TargetGroup ModifyTargetGroup(string arn, HealthCheck healthCheck)
    {
        ArgumentNullException.ThrowIfNull(healthCheck);
        ValidateHealthCheck(healthCheck);
        return UpdateTargetGroup(arn, tg => tg with { HealthCheck = healthCheck });
    }

    /// <summary>Sets attributes (ModifyTargetGroupAttributes); unknown keys are a ValidationError.</summary>
    public TargetGroup ModifyTargetGroupAttributes(string arn, IEnumerable<KeyValuePair<string, string>> attributes) =>
        UpdateTargetGroup(arn, tg =>
        {
            var result = tg.Attributes;
            foreach (var (key, value) in attributes)
            {
                result = result.SetItem(RequireKnownKey(tg.Attributes, key), ValidateAttributeValue(key, value));
            }
            return tg with { Attributes = result };
        });

    /// <summary>Deletes a target group that no listener or rule uses (ResourceInUse otherwise).</summary>
    public void DeleteTargetGroup(string arn)
    {
        lock (_gate)
        {
            var targetGroup = RequireTargetGroup(arn);
            if (!targetGroup.LoadBalancerArns.IsEmpty)
            {
                throw new AwsApiException("ResourceInUse", $"Target group '{arn}' is currently in use by a listener or a rule");
            }
            _targetGroups.Remove(arn);
            _targets.Remove(arn);
            _tags.Remove(arn);
            _version++;
        }
        OnChanged(arn);
    }

    /// <summary>
    /// Registers targets (RegisterTargets). New targets start <c>initial</c>/<c>Elb.RegistrationInProgress</c> when a load
    /// balancer uses the group, <c>unused</c>/<c>Target.NotInUse</c> otherwise. Registering a target that is already
    /// registered (same id and port, not draining) is a no-op, as in AWS: it keeps its health state, its registration
    /// time and its zone, and a call that registers nothing new changes nothing (no version, no <see cref="Changed"/>).
    /// </summary>
    public ImmutableList<RegisteredTarget> RegisterTargets(string targetGroupArn, IEnumerable<TargetDescription> targets)
    {
        ImmutableList<RegisteredTarget> result;
        lock (_gate)
        {
            var targetGroup = RequireTargetGroup(targetGroupArn);
            var now = Now;
            var before = _targets[targetGroupArn];
            result = before;
            foreach (var description in targets)
            {
                var port = description.Port == 0 ? targetGroup.Port : description.Port;
                ValidatePort(port, "Targets.Port");
                var existing = result.FindIndex(t => t.Id == description.Id && t.Port == port);
                if (existing >= 0 && result[existing].Health.State != TargetHealthState.Draining)
                {
                    continue;
                }
                var target = new RegisteredTarget
                {
                    Id = description.Id,
                    Port = port,
                    AvailabilityZone = description.AvailabilityZone,
                    Health = InitialHealth(targetGroup, now),
                    RegisteredTime = now,
                };
                result = existing >= 0 ? result.SetItem(existing, target) : result.Add(target);
            }
            if (ReferenceEquals(result, before))
            {
                return result;
            }
            _targets[targetGroupArn] = result;
            _version++;
        }
        OnChanged(targetGroupArn);
        return result;
    }

    /// <summary>
    /// Deregisters targets (DeregisterTargets): they go <c>draining</c> for the deregistration delay when the group is
    /// in use, and are removed at once otherwise. <see cref="RemoveTarget"/> ends the draining.
    /// </summary>
    public void DeregisterTargets(string targetGroupArn, IEnumerable<TargetDescription> targets)
    {
        lock (_gate)
        {
            var targetGroup = RequireTargetGroup(targetGroupArn);
            var now = Now;
            var result = _targets[targetGroupArn];
            foreach (var description in targets)
            {
                var port = description.Port == 0 ? targetGroup.Port : description.Port;
                var index = result.FindIndex(t => t.Id == description.Id && t.Port == port);
                if (index < 0)
                {
                    throw new AwsApiException("InvalidTarget", $"The following targets are not registered: '{description.Id}'");
                }
                var delay = targetGroup.Attributes.GetValueOrDefault("deregistration_delay.timeout_seconds", "300");
                result = targetGroup.LoadBalancerArns.IsEmpty || delay == "0"
                    ? result.RemoveAt(index)
                    : result.SetItem(index, result[index] with
                    {
                        Health = new TargetHealth(TargetHealthState.Draining, "Target.DeregistrationInProgress", "Target deregistration is in progress", now),
                    });
            }
            _targets[targetGroupArn] = result;
            _version++;
        }
        OnChanged(targetGroupArn);
    }

    /// <summary>Forgets a target entirely (end of draining). Returns false when it was not registered.</summary>
    public bool RemoveTarget(string targetGroupArn, string targetId, int port)
    {
        lock (_gate)
        {
            RequireTargetGroup(targetGroupArn);
            var targets = _targets[targetGroupArn];
            var index = targets.FindIndex(t => t.Id == targetId && t.Port == port);
            if (index < 0)
            {
                return false;
            }
            _targets[targetGroupArn] = targets.RemoveAt(index);
            _version++;
        }
        OnChanged(targetGroupArn);
        return true;
    }

    /// <summary>
    /// Sets a target's health (the health check state machine calls this). <see cref="TargetHealth.Since"/> moves only
    /// when the state changes. Returns the updated target.
    /// </summary>
    public RegisteredTarget SetTargetHealth(string targetGroupArn, string targetId, int port, TargetHealthState state, string? reason = null, string? description = null)
    {
        RegisteredTarget updated;
        lock (_gate)
        {
            RequireTargetGroup(targetGroupArn);
            var targets = _targets[targetGroupArn];
            var index = targets.FindIndex(t => t.Id == targetId && t.Port == port);
            if (index < 0)
            {
                throw new AwsApiException("InvalidTarget", $"The following targets are not registered: '{targetId}'");
            }
            var current = targets[index];
            var since = current.Health.State == state ? current.Health.Since : Now;
            updated = current with { Health = new TargetHealth(state, reason, description, since) };
            _targets[targetGroupArn] = targets.SetItem(index, updated);
            _version++;
        }
        OnChanged(targetGroupArn);
        return updated;
    }

    // ---- tags --------------------------------------------------------------------------------------------------

    /// <summary>Adds or overwrites tags (AddTags); at most 50 per resource.</summary>
    public void AddTags(string arn, IEnumerable<KeyValuePair<string, string>> tags)
    {
        lock (_gate)
        {
            RequireResource(arn);
            var current = _tags.GetValueOrDefault(arn) ?? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
            var updated = current.SetItems(tags);
            if (updated.Count > 50)
            {
                throw new AwsApiException("TooManyTags", "You've reached the limit on the number of tags for this resource");
            }
            _tags[arn] = updated;
            _version++;
        }
        OnChanged(arn);
    }

    public void RemoveTags(string arn, IEnumerable<string> keys)
    {
        lock (_gate)
        {
            RequireResource(arn);
            if (_tags.TryGetValue(arn, out var current))
            {
                _tags[arn] = current.RemoveRange(keys);
            }
            _version++;
        }
        OnChanged(arn);
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    private string NewId(string key) => AwsArns.HexId(Seed, key + "#" + ++_sequence);

    private void OnChanged(string arn) => Changed?.Invoke(arn);

    private LoadBalancer UpdateLoadBalancer(string arn, Func<LoadBalancer, LoadBalancer> update)
    {
        LoadBalancer updated;
        lock (_gate)
        {
            updated = update(RequireLoadBalancer(arn));
            _loadBalancers[arn] = updated;
            _version++;
        }
        OnChanged(arn);
        return updated;
    }

    private TargetGroup UpdateTargetGroup(string arn, Func<TargetGroup, TargetGroup> update)
    {
        TargetGroup updated;
        lock (_gate)
        {
            updated = update(RequireTargetGroup(arn));
            _targetGroups[arn] = updated;
            _version++;
        }
        OnChanged(arn);
        return updated;
    }

    private LoadBalancer RequireLoadBalancer(string arn) =>
        _loadBalancers.GetValueOrDefault(arn) ?? throw new AwsApiException("LoadBalancerNotFound", LoadBalancersNotFound);

    private Listener RequireListener(string arn) =>
        _listeners.GetValueOrDefault(arn) ?? throw new AwsApiException("ListenerNotFound", ListenersNotFound);

    private ListenerRule RequireRule(string arn) =>
        _rules.GetValueOrDefault(arn) ?? throw new AwsApiException("RuleNotFound", RulesNotFound);

    private TargetGroup RequireTargetGroup(string arn) =>
        _targetGroups.GetValueOrDefault(arn) ?? throw new AwsApiException("TargetGroupNotFound", TargetGroupNotFound(arn));

    private void RequireResource(string arn)
    {
        if (AwsArns.IsLoadBalancerArn(arn))
        {
            RequireLoadBalancer(arn);
        }
        else if (AwsArns.IsTargetGroupArn(arn))
        {
            RequireTargetGroup(arn);
        }
        else if (AwsArns.IsListenerArn(arn))
        {
            RequireListener(arn);
        }
        else if (AwsArns.IsListenerRuleArn(arn))
        {
            RequireRule(arn);
        }
        else
        {
            throw AwsApiException.Validation($"'{arn}' is not a valid resource ARN");
        }
    }

    private void RemoveListenerLocked(string listenerArn)
    {
        foreach (var rule in _rules.Values.Where(r => r.ListenerArn == listenerArn).ToList())
        {
            _rules.Remove(rule.Arn);
            _tags.Remove(rule.Arn);
        }
        _listeners.Remove(listenerArn);
        _tags.Remove(listenerArn);
    }

    /// <summary>Recomputes every target group's load balancer list from the listeners and rules that forward to it.</summary>
    private void RelinkTargetGroupsLocked()
    {
        var links = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var rule in _rules.Values)
        {
            var loadBalancerArn = _listeners[rule.ListenerArn].LoadBalancerArn;
            foreach (var group in rule.Actions.SelectMany(a => a.TargetGroups))
            {
                if (!links.TryGetValue(group.TargetGroupArn, out var set))
                {
                    links[group.TargetGroupArn] = set = new SortedSet<string>(StringComparer.Ordinal);
                }
                set.Add(loadBalancerArn);
            }
        }
        var now = Now;
        foreach (var targetGroup in _targetGroups.Values.ToList())
        {
            ImmutableArray<string> arns = links.TryGetValue(targetGroup.Arn, out var set) ? [.. set] : [];
            if (arns.SequenceEqual(targetGroup.LoadBalancerArns))
            {
                continue;
            }
            var updated = targetGroup with { LoadBalancerArns = arns };
            _targetGroups[targetGroup.Arn] = updated;
            // A group that gains or loses its load balancers moves its targets between unused and initial, as ELB does.
            _targets[targetGroup.Arn] = [.. _targets[targetGroup.Arn].Select(t => t.Health.State switch
            {
                TargetHealthState.Unused when !arns.IsEmpty => t with { Health = InitialHealth(updated, now) },
                not TargetHealthState.Unused and not TargetHealthState.Draining when arns.IsEmpty => t with { Health = InitialHealth(updated, now) },
                _ => t,
            })];
        }
    }

    private static TargetHealth InitialHealth(TargetGroup targetGroup, DateTimeOffset now) =>
        targetGroup.LoadBalancerArns.IsEmpty
            ? new TargetHealth(TargetHealthState.Unused, "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer", now)
            : TargetHealth.RegistrationInProgress(now);

    private void SetTagsLocked(string arn, ImmutableDictionary<string, string> tags)
    {
        if (tags.Count > 50)
        {
            throw new AwsApiException("TooManyTags", "You've reached the limit on the number of tags for this resource");
        }
        _tags[arn] = tags.ToImmutableSortedDictionary(StringComparer.Ordinal, StringComparer.Ordinal);
    }

    private void ValidateActionsLocked(ImmutableArray<RuleAction> actions, LoadBalancer loadBalancer)
    {
        if (actions.IsDefaultOrEmpty)
        {
            throw AwsApiException.Validation("At least one action must be specified");
        }
        foreach (var action in actions)
        {
            if (action.Type is not ("forward" or "fixed-response" or "redirect"))
            {
                throw AwsApiException.Validation($"Action type '{action.Type}' must be one of [forward, fixed-response, redirect]");
            }
            if (action.Type == "forward" && action.TargetGroups.IsDefaultOrEmpty)
            {
                throw AwsApiException.Validation("A forward action must name at least one target group");
            }
            if (action.Type == "fixed-response" && action.FixedResponse is null)
            {
                throw AwsApiException.Validation("A fixed-response action must have a FixedResponseConfig");
            }
            foreach (var group in action.TargetGroups)
            {
                var targetGroup = RequireTargetGroup(group.TargetGroupArn);
                var layer7 = ElbDefaults.IsLayer7(targetGroup.Protocol);
                if (layer7 != (loadBalancer.Type == LoadBalancerType.Application))
                {
                    throw new AwsApiException("InvalidConfigurationRequest",
                        $"The target group '{group.TargetGroupArn}' has protocol {targetGroup.Protocol}, which is not supported by a load balancer of type '{loadBalancer.Type.ToString().ToLowerInvariant()}'");
                }
                if (group.Weight is < 0 or > 999)
                {
                    throw AwsApiException.Validation($"Target group weight {group.Weight} must be between 0 and 999");
                }
            }
        }
    }

    private void ValidateListenerSpec(LoadBalancer loadBalancer, ListenerSpec spec)
    {
        ValidatePort(spec.Port, "Port");
        var allowed = loadBalancer.Type == LoadBalancerType.Application ? ["HTTP", "HTTPS"] : new[] { "TCP", "TLS", "UDP", "TCP_UDP" };
        if (!allowed.Contains(spec.Protocol))
        {
            throw AwsApiException.Validation($"Protocol '{spec.Protocol}' must be one of [{string.Join(", ", allowed)}] for a load balancer of type '{loadBalancer.Type.ToString().ToLowerInvariant()}'");
        }
        // Only ACM and IAM server certificates exist; anything else (arn:garbage) is not found.
        if (!spec.Certificates.IsDefaultOrEmpty && spec.Certificates.FirstOrDefault(c => !c.CertificateArn.StartsWith("arn:aws", StringComparison.Ordinal)
            || !(c.CertificateArn.Contains(":acm:", StringComparison.Ordinal) || c.CertificateArn.Contains(":iam::", StringComparison.Ordinal))) is { } unknown)
        {
            throw new AwsApiException("CertificateNotFound", $"Certificate '{unknown.CertificateArn}' not found");
        }
        if (spec.Protocol is "HTTPS" or "TLS" && spec.Certificates.IsDefaultOrEmpty)
        {
            throw AwsApiException.Validation($"A certificate must be specified for {spec.Protocol} listeners");
        }
        ValidateActionsLocked(spec.DefaultActions, loadBalancer);
    }

    private static ImmutableArray<ListenerCertificate> DefaultCertificate(ImmutableArray<ListenerCertificate> certificates) =>
        certificates.IsDefaultOrEmpty ? [] : [.. certificates.Select((c, i) => c with { IsDefault = i == 0 })];

    private static ImmutableArray<ListenerRule> OrderRules(IEnumerable<ListenerRule> rules) =>
        [.. rules.OrderBy(r => r.IsDefault ? int.MaxValue : int.Parse(r.Priority, System.Globalization.CultureInfo.InvariantCulture))];

    private static void ValidateRule(ImmutableArray<RuleCondition> conditions, ImmutableArray<RuleAction> actions)
    {
        if (conditions.IsDefaultOrEmpty)
        {
            throw AwsApiException.Validation("A rule must have at least one condition");
        }
        foreach (var condition in conditions)
        {
            if (condition.Field is not ("host-header" or "path-pattern" or "http-header" or "http-request-method" or "query-string" or "source-ip"))
            {
                throw AwsApiException.Validation($"Condition field '{condition.Field}' must be one of [host-header, path-pattern, http-header, http-request-method, query-string, source-ip]");
            }
            if (condition.Values.IsDefaultOrEmpty)
            {
                throw AwsApiException.Validation($"Condition '{condition.Field}' must have at least one value");
            }
        }
        if (actions.IsDefaultOrEmpty)
        {
            throw AwsApiException.Validation("At least one action must be specified");
        }
    }

    private static void ValidatePriority(int priority)
    {
        if (priority is < 1 or > 50000)
        {
            throw AwsApiException.Validation($"Priority '{priority}' must be between 1 and 50000");
        }
    }

    private static void ValidatePort(int port, string field)
    {
        if (port is < 1 or > 65535)
        {
            throw AwsApiException.Validation($"1 validation error detected: Value '{port}' at '{ToCamel(field)}' failed to satisfy constraint: Member must have value between 1 and 65535");
        }
    }

    internal static void ValidateHealthCheck(HealthCheck check)
    {
        if (check.IntervalSeconds is < 5 or > 300)
        {
            throw AwsApiException.Validation($"1 validation error detected: Value '{check.IntervalSeconds}' at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member must have value between 5 and 300");
        }
        if (check.TimeoutSeconds is < 2 or > 120)
        {
            throw AwsApiException.Validation($"1 validation error detected: Value '{check.TimeoutSeconds}' at 'healthCheckTimeoutSeconds' failed to satisfy constraint: Member must have value between 2 and 120");
        }
        // NLB target groups accept a timeout equal to the interval (the load balancer controller's 10 s / 10 s default).
        if (check.TimeoutSeconds > check.IntervalSeconds)
        {
            throw AwsApiException.Validation("Health check timeout must not be greater than the interval");
        }
        if (check.HealthyThresholdCount is < 2 or > 10 || check.UnhealthyThresholdCount is < 2 or > 10)
        {
            throw AwsApiException.Validation("Health check threshold counts must be between 2 and 10");
        }
        if (check.Port != "traffic-port" && (!int.TryParse(check.Port, out var port) || port is < 1 or > 65535))
        {
            throw AwsApiException.Validation($"Health check port '{check.Port}' must be 'traffic-port' or a number between 1 and 65535");
        }
        if (check.Path is { } path && !path.StartsWith('/'))
        {
            throw AwsApiException.Validation($"Health check path '{path}' must begin with a '/' character");
        }
    }

    private static string RequireKnownKey(IReadOnlyDictionary<string, string> known, string key) =>
        known.ContainsKey(key) ? key : throw AwsApiException.Validation($"Attribute key '{key}' is not recognized");

    internal static string ValidateAttributeValue(string key, string value)
    {
        var numeric = key switch
        {
            "deregistration_delay.timeout_seconds" => (Min: 0, Max: 3600),
            "slow_start.duration_seconds" => (Min: 0, Max: 900),
            "stickiness.lb_cookie.duration_seconds" or "stickiness.app_cookie.duration_seconds" => (Min: 1, Max: 604800),
            _ => ((int Min, int Max)?)null,
        };
        if (numeric is { } range && (!int.TryParse(value, out var number) || number < range.Min || number > range.Max))
        {
            throw AwsApiException.Validation($"'{key}' must be a number between {range.Min} and {range.Max}; '{value}' is not");
        }
        if (key == "slow_start.duration_seconds" && value != "0" && int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) < 30)
        {
            throw AwsApiException.Validation("'slow_start.duration_seconds' must be 0 (off) or between 30 and 900");
        }
        if (key.EndsWith(".enabled", StringComparison.Ordinal) && value is not ("true" or "false"))
        {
            throw AwsApiException.Validation($"'{key}' must be 'true' or 'false'; '{value}' is not");
        }
        if (key == "load_balancing.algorithm.type" && value is not ("round_robin" or "least_outstanding_requests" or "weighted_random"))
        {
            throw AwsApiException.Validation($"'{key}' must be one of [round_robin, least_outstanding_requests, weighted_random]");
        }
        return value;
    }

    private static void ValidateName(string name, string kind, bool allowInternalPrefix)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw AwsApiException.Validation(
                $"The {kind} name '{name}' is not valid: use 1 to 32 letters, digits and hyphens, not beginning or ending with a hyphen");
        }
        if (!allowInternalPrefix && name.StartsWith("internal-", StringComparison.Ordinal))
        {
            throw AwsApiException.Validation($"The {kind} name '{name}' cannot begin with 'internal-'");
        }
    }

    private static string ToCamel(string field) => char.ToLowerInvariant(field[0]) + field[1..];

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")]
    private static partial Regex NamePattern();
}
