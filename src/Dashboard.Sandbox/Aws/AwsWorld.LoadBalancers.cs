using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws;

/// <summary>The emulated ELBv2 world: creating, changing and deleting load balancers.</summary>
public sealed partial class AwsWorld
{
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
}
