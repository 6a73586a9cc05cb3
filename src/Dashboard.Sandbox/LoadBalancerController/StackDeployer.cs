using System.Collections.Immutable;
using Dashboard.Sandbox.Aws;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>What a deploy left in AWS: the load balancer and the target groups by model resource id.</summary>
internal sealed record DeployedStack(LoadBalancer LoadBalancer, ImmutableDictionary<string, TargetGroup> TargetGroups, bool Created);

/// <summary>
/// Brings the AWS account in line with a <see cref="Stack"/>, as the controller's deployer does: finds the stack's
/// existing resources by their tags, validates everything AWS would reject before the first write (so a bad value
/// changes nothing), then creates, modifies and deletes only what differs. A changed name (scheme, type, target
/// type, protocol) means a new resource and the old one is deleted. Writes nothing when nothing differs.
/// </summary>
internal sealed class StackDeployer(AwsWorld aws)
{
    /// <param name="stack">The desired state.</param>
    /// <param name="createdTime">
    /// The creation time of a load balancer this deploy creates: the owning objects' creation time, so a world loaded
    /// as "running for weeks" has balancers with that history; null means now.
    /// </param>
    public DeployedStack Deploy(Stack stack, DateTimeOffset? createdTime = null)
    {
        Preflight(stack);
        var existingLoadBalancer = FindLoadBalancer(stack.Identity);
        if (existingLoadBalancer is not null && (existingLoadBalancer.Name != stack.LoadBalancer.Name
            || existingLoadBalancer.Type != stack.LoadBalancer.Type || existingLoadBalancer.Scheme != stack.LoadBalancer.Scheme))
        {
            // Scheme and type cannot change in place: the controller replaces the load balancer.
            aws.DeleteLoadBalancer(existingLoadBalancer.Arn);
            existingLoadBalancer = null;
        }

        var existingGroups = FindTargetGroups(stack.Identity);
        var deployedGroups = ImmutableDictionary.CreateBuilder<string, TargetGroup>(StringComparer.Ordinal);
        foreach (var desired in stack.TargetGroups)
        {
            deployedGroups[desired.ResourceId] = existingGroups.FirstOrDefault(tg => tg.Name == desired.Name) is { } current
                ? UpdateTargetGroup(current, desired)
                : aws.CreateTargetGroup(new TargetGroupSpec
                {
                    Name = desired.Name,
                    Protocol = desired.Protocol,
                    Port = desired.Port,
                    TargetType = desired.TargetType,
                    ProtocolVersion = desired.ProtocolVersion,
                    HealthCheck = desired.HealthCheck,
                    Attributes = desired.Attributes,
                    Tags = desired.Tags,
                });
        }

        var created = existingLoadBalancer is null;
        var loadBalancer = existingLoadBalancer is null
            ? aws.CreateLoadBalancer(new LoadBalancerSpec
            {
                Name = stack.LoadBalancer.Name,
                Type = stack.LoadBalancer.Type,
                Scheme = stack.LoadBalancer.Scheme,
                IpAddressType = stack.LoadBalancer.IpAddressType,
                AvailabilityZones = stack.LoadBalancer.Subnets,
                SecurityGroups = stack.LoadBalancer.SecurityGroups,
                Attributes = stack.LoadBalancer.Attributes,
                Tags = stack.LoadBalancer.Tags,
                CreatedTime = createdTime,
            })
            : UpdateLoadBalancer(existingLoadBalancer, stack.LoadBalancer);

        var groups = deployedGroups.ToImmutable();
        var listeners = aws.GetListeners(loadBalancer.Arn);
        foreach (var desired in stack.Listeners)
        {
            var spec = new ListenerSpec
            {
                Port = desired.Port,
                Protocol = desired.Protocol,
                Certificates = [.. desired.Certificates.Select((arn, i) => new ListenerCertificate(arn, i == 0))],
                SslPolicy = desired.SslPolicy,
                DefaultActions = [Resolve(desired.DefaultAction, groups)],
            };
            var listener = listeners.FirstOrDefault(l => l.Port == desired.Port);
            if (listener is null)
            {
                listener = aws.CreateListener(loadBalancer.Arn, spec);
            }
            else if (!SameListener(listener, spec))
            {
                listener = aws.ModifyListener(listener.Arn, spec);
            }
            SyncRules(listener, desired.Rules, groups);
        }
        foreach (var stale in listeners.Where(l => !stack.Listeners.Any(d => d.Port == l.Port)))
        {
            aws.DeleteListener(stale.Arn);
        }
        foreach (var stale in existingGroups.Where(tg => !groups.Values.Any(d => d.Arn == tg.Arn)))
        {
            aws.DeleteTargetGroup(stale.Arn);
        }
        return new DeployedStack(aws.GetLoadBalancer(loadBalancer.Arn), groups, created);
    }

    /// <summary>Deletes every load balancer and target group the stack's identity tags name. Returns whether anything existed.</summary>
    public bool Delete(ImmutableDictionary<string, string> identity)
    {
        var any = false;
        foreach (var loadBalancer in aws.GetLoadBalancers().Where(lb => HasTags(lb.Arn, identity)))
        {
            aws.DeleteLoadBalancer(loadBalancer.Arn);
            any = true;
        }
        foreach (var targetGroup in FindTargetGroups(identity))
        {
            aws.DeleteTargetGroup(targetGroup.Arn);
            any = true;
        }
        return any;
    }

    public LoadBalancer? FindLoadBalancer(ImmutableDictionary<string, string> identity) =>
        aws.GetLoadBalancers().FirstOrDefault(lb => HasTags(lb.Arn, identity));

    private List<TargetGroup> FindTargetGroups(ImmutableDictionary<string, string> identity) =>
        [.. aws.GetTargetGroups().Where(tg => HasTags(tg.Arn, identity))];

    private bool HasTags(string arn, ImmutableDictionary<string, string> identity)
    {
        try
        {
            var tags = aws.GetTags(arn);
            return identity.All(p => tags.TryGetValue(p.Key, out var value) && value == p.Value);
        }
        catch (AwsApiException)
        {
            return false; // deleted meanwhile
        }
    }

    private static void Preflight(Stack stack)
    {
        // The real controller writes source ranges into security-group rules, and EC2 refuses a malformed CIDR there;
        // the sandbox has no EC2, so the check is made here, before anything changes.
        if (stack.LoadBalancer.Tags.GetValueOrDefault(ControllerAnnotations.SourceRangesTag) is { } ranges
            && ranges.Split(',').FirstOrDefault(c => !Cidr.IsValid(c)) is { } malformed)
        {
            throw new AwsApiException("InvalidParameterValue", $"CIDR block {malformed} is malformed");
        }
        var known = ElbDefaults.LoadBalancerAttributes(stack.LoadBalancer.Type);
        foreach (var (key, value) in stack.LoadBalancer.Attributes)
        {
            RequireKnown(known, key);
            AwsWorld.ValidateAttributeValue(key, value);
        }
        foreach (var targetGroup in stack.TargetGroups)
        {
            AwsWorld.ValidateHealthCheck(targetGroup.HealthCheck);
            var defaults = ElbDefaults.TargetGroupAttributes(targetGroup.Protocol, targetGroup.TargetType);
            foreach (var (key, value) in targetGroup.Attributes)
            {
                RequireKnown(defaults, key);
                AwsWorld.ValidateAttributeValue(key, value);
            }
        }
        foreach (var listener in stack.Listeners.Where(l => l.Protocol is "HTTPS" or "TLS" && l.Certificates.IsDefaultOrEmpty))
        {
            throw AwsApiException.Validation($"A certificate must be specified for {listener.Protocol} listeners");
        }
    }

    private static void RequireKnown(IReadOnlyDictionary<string, string> known, string key)
    {
        if (!known.ContainsKey(key))
        {
            throw AwsApiException.Validation($"Attribute key '{key}' is not recognized");
        }
    }

    private TargetGroup UpdateTargetGroup(TargetGroup current, DesiredTargetGroup desired)
    {
        if (current.HealthCheck != desired.HealthCheck)
        {
            current = aws.ModifyTargetGroup(current.Arn, desired.HealthCheck);
        }
        var changed = desired.Attributes.Where(p => current.Attributes.GetValueOrDefault(p.Key) != p.Value).ToList();
        if (changed.Count > 0)
        {
            current = aws.ModifyTargetGroupAttributes(current.Arn, changed);
        }
        SyncTags(current.Arn, desired.Tags);
        return current;
    }

    private LoadBalancer UpdateLoadBalancer(LoadBalancer current, DesiredLoadBalancer desired)
    {
        var changed = desired.Attributes.Where(p => current.Attributes.GetValueOrDefault(p.Key) != p.Value).ToList();
        if (changed.Count > 0)
        {
            current = aws.ModifyLoadBalancerAttributes(current.Arn, changed);
        }
        if (!current.SecurityGroups.SequenceEqual(desired.SecurityGroups))
        {
            current = aws.SetLoadBalancerSecurityGroups(current.Arn, desired.SecurityGroups);
        }
        if (!desired.Subnets.IsDefaultOrEmpty && !current.AvailabilityZones.SequenceEqual(desired.Subnets))
        {
            current = aws.SetLoadBalancerSubnets(current.Arn, desired.Subnets);
        }
        SyncTags(current.Arn, desired.Tags);
        return current;
    }

    private void SyncTags(string arn, ImmutableDictionary<string, string> desired)
    {
        var current = aws.GetTags(arn);
        var stale = current.Keys.Where(k => !desired.ContainsKey(k)).ToList();
        if (stale.Count > 0)
        {
            aws.RemoveTags(arn, stale);
        }
        var changed = desired.Where(p => current.GetValueOrDefault(p.Key) != p.Value).ToList();
        if (changed.Count > 0)
        {
            aws.AddTags(arn, changed);
        }
    }

    private void SyncRules(Listener listener, ImmutableArray<DesiredRule> desired, ImmutableDictionary<string, TargetGroup> groups)
    {
        var current = aws.GetRules(listener.Arn).Where(r => !r.IsDefault).ToList();
        var wanted = desired.Select(r => (Priority: r.Priority, r.Conditions, Action: Resolve(r.Action, groups))).ToList();
        var same = current.Count == wanted.Count && current.Zip(wanted).All(pair =>
            pair.First.Priority == pair.Second.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && Describe(pair.First.Conditions) == Describe(pair.Second.Conditions)
            && pair.First.Actions.Length == 1 && Describe(pair.First.Actions[0]) == Describe(pair.Second.Action));
        if (same)
        {
            return;
        }
        foreach (var rule in current)
        {
            aws.DeleteRule(rule.Arn);
        }
        foreach (var (priority, conditions, action) in wanted)
        {
            aws.CreateRule(listener.Arn, priority, conditions, [action]);
        }
    }

    private static bool SameListener(Listener listener, ListenerSpec spec) =>
        listener.Protocol == spec.Protocol
        && listener.Certificates.Select(c => c.CertificateArn).SequenceEqual(spec.Certificates.Select(c => c.CertificateArn))
        && (spec.SslPolicy is null || listener.SslPolicy == spec.SslPolicy)
        && listener.DefaultActions.Length == spec.DefaultActions.Length
        && listener.DefaultActions.Zip(spec.DefaultActions).All(p => Describe(p.First) == Describe(p.Second));

    private static RuleAction Resolve(DesiredAction action, ImmutableDictionary<string, TargetGroup> groups) => new()
    {
        Type = action.Type,
        TargetGroups = [.. action.Forward.Select(f => new WeightedTargetGroup(groups[f.ResourceId].Arn, f.Weight))],
        FixedResponse = action.FixedResponse,
        Redirect = action.Redirect,
    };

    /// <summary>A canonical text of an action (immutable arrays compare by reference, so records alone cannot).</summary>
    private static string Describe(RuleAction action) =>
        $"{action.Type}|{string.Join(',', action.TargetGroups.Select(t => t.TargetGroupArn + "=" + t.Weight))}|{action.FixedResponse}|{action.Redirect}";

    private static string Describe(ImmutableArray<RuleCondition> conditions) =>
        string.Join(';', conditions.Select(c => c.Field + "=" + string.Join(',', c.Values)));
}
