using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Dashboard.Sandbox.Aws;

/// <summary>The emulated ELBv2 world: validation, naming, ARNs and the copy-on-write state behind the public operations.</summary>
public sealed partial class AwsWorld
{
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
