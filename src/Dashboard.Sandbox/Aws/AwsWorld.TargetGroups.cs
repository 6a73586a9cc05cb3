using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws;

/// <summary>The emulated ELBv2 world: target groups, registered targets and tags.</summary>
public sealed partial class AwsWorld
{
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
}
