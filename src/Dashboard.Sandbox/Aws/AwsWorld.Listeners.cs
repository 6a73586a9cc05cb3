using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws;

/// <summary>The emulated ELBv2 world: listeners and their rules.</summary>
public sealed partial class AwsWorld
{
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
}
