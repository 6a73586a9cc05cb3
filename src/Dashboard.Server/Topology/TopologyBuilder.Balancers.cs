using System.Collections.Immutable;
using System.Globalization;
using Dashboard.Client.Model;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Inventory;
using Dashboard.Server.LoadBalancers;
using k8s.Models;

namespace Dashboard.Server.Topology;

public static partial class TopologyBuilder
{
    /// <summary>The join's balancers: who owns each, its listeners, rules, target groups and targets, and their triage.</summary>
    private sealed partial class Join
    {
        // ---- balancers ----------------------------------------------------------------------------------------------

        private Ownership OwnersOf(LoadBalancer lb)
        {
            var tags = aws.TagsOf(lb.LoadBalancerArn);
            var cluster = AwsIndex.ClusterOf(tags);
            var ours = cluster is not null && _cluster is not null && string.Equals(cluster, _cluster, StringComparison.Ordinal);
            var tgs = aws.TargetGroupsByBalancer.GetValueOrDefault(lb.LoadBalancerArn) ?? [];

            // 1. TargetGroupBindings whose labels name the Service stack (or whose Service is itself of type LoadBalancer).
            if (!tags.ContainsKey(AwsIndex.IngressStackTag))
            {
                foreach (var arn in tgs)
                {
                    if (k8s.BindingsByArn.TryGetValue(arn, out var binding))
                    {
                        var stack = binding.Labels.TryGetValue("service.k8s.aws/stack-namespace", out var ns) && binding.Labels.TryGetValue("service.k8s.aws/stack-name", out var name)
                            ? new ObjectRef(ObjectKind.Service, ns, name)
                            : new ObjectRef(ObjectKind.Service, binding.Namespace, binding.ServiceName);
                        if (k8s.Services.TryGetValue($"{stack.Namespace}/{stack.Name}", out var svc) && svc.Spec?.Type == "LoadBalancer")
                        {
                            return new Ownership([stack], LinkSource.TargetGroupBinding, stack, ours);
                        }
                    }
                }
            }

            // 2. The controller's stack tags, when they are for this cluster.
            var tagged = TagsTrusted(tags) ? TaggedOwners(tags) : new Ownership([], null, null, false);
            if (tagged.Owners.Length > 0)
            {
                return tagged with { ForThisCluster = ours };
            }

            // 3. Status hostname = DNS name.
            if (!string.IsNullOrEmpty(lb.DnsName))
            {
                var dns = DnsAnswer.Normalize(lb.DnsName);
                var byHostname = k8s.Services.Values.Where(s => Hostnames(s.Status?.LoadBalancer).Contains(dns)).Select(s => KubernetesIndex.Ref(ObjectKind.Service, s.Metadata))
                    .Concat(k8s.Ingresses.Values.Where(i => Hostnames(i.Status?.LoadBalancer).Contains(dns)).Select(i => KubernetesIndex.Ref(ObjectKind.Ingress, i.Metadata)))
                    .OrderBy(r => r.Key, StringComparer.Ordinal)
                    .ToImmutableArray();
                if (byHostname.Length > 0)
                {
                    return new Ownership(byHostname, LinkSource.StatusHostname, tagged.Tagged, ours);
                }
            }

            // The in-tree provider's tag, for a balancer whose Service has no hostname yet.
            if (TagsTrusted(tags) && tags.TryGetValue(AwsIndex.InTreeServiceTag, out var inTree) && SplitKey(inTree) is { } key
                && k8s.Services.ContainsKey($"{key.Namespace}/{key.Name}"))
            {
                return new Ownership([new ObjectRef(ObjectKind.Service, key.Namespace, key.Name)], LinkSource.ControllerTags, null, ours);
            }
            var named = tags.TryGetValue(AwsIndex.InTreeServiceTag, out var value) && SplitKey(value) is { } n ? new ObjectRef(ObjectKind.Service, n.Namespace, n.Name) : null;
            return new Ownership([], null, tagged.Tagged ?? named, ours);
        }

        /// <summary>Live owners named by the stack tags (Service stack, or every live ALB Ingress of the group).</summary>
        private Ownership TaggedOwners(ImmutableDictionary<string, string> tags)
        {
            if (tags.TryGetValue(AwsIndex.ServiceStackTag, out var serviceStack) && SplitKey(serviceStack) is { } svc)
            {
                var exists = k8s.Services.ContainsKey(serviceStack);
                var owner = new ObjectRef(ObjectKind.Service, svc.Namespace, svc.Name);
                return new Ownership(exists ? [owner] : [], LinkSource.ControllerTags, owner, false);
            }
            if (tags.TryGetValue(AwsIndex.IngressStackTag, out var group))
            {
                var members = k8s.Ingresses.Values
                    .Where(i => k8s.IsAlb(i) && string.Equals(KubernetesIndex.GroupOf(i), group, StringComparison.Ordinal))
                    .Select(i => KubernetesIndex.Ref(ObjectKind.Ingress, i.Metadata))
                    .OrderBy(r => r.Key, StringComparer.Ordinal)
                    .ToImmutableArray();
                // An implicit group is one Ingress (ns/name); an explicit group names no single object.
                var owner = SplitKey(group) is { } ing ? new ObjectRef(ObjectKind.Ingress, ing.Namespace, ing.Name) : null;
                return new Ownership(members, LinkSource.ControllerTags, owner, false);
            }
            return new Ownership([], null, null, false);
        }

        private static HashSet<string> Hostnames(V1LoadBalancerStatus? status) =>
            [.. (status?.Ingress ?? []).Select(i => i.Hostname).OfType<string>().Where(h => h.Length > 0).Select(DnsAnswer.Normalize)];

        private static HashSet<string> Hostnames(V1IngressLoadBalancerStatus? status) =>
            [.. (status?.Ingress ?? []).Select(i => i.Hostname).OfType<string>().Where(h => h.Length > 0).Select(DnsAnswer.Normalize)];

        private LoadBalancerViewModel BuildBalancer(LoadBalancer lb, Ownership ownership, List<TriageItem> triage)
        {
            var arn = lb.LoadBalancerArn;
            var tags = aws.TagsOf(arn);
            var owners = ownership.Owners;
            var ingressOwners = owners.Where(o => o.Kind == ObjectKind.Ingress).ToList();
            var groups = new List<TargetGroupView>();
            foreach (var tgArn in aws.TargetGroupsByBalancer.GetValueOrDefault(arn) ?? [])
            {
                if (!aws.TargetGroups.TryGetValue(tgArn, out var tg))
                {
                    continue;
                }
                var link = _tgLinks.GetValueOrDefault(tgArn);
                var member = link?.Member;
                if (member is null && ingressOwners.Count > 0)
                {
                    member = ingressOwners.Count == 1 ? ingressOwners[0] : ingressOwners.FirstOrDefault(o => RoutesTo(o, link?.Service));
                }
                var service = link?.Service ?? (owners.Length == 1 && owners[0].Kind == ObjectKind.Service ? owners[0] : null);
                groups.Add(BuildTargetGroup(tg, link, service, member, ownership));
            }

            var listeners = aws.Snapshot.Listeners.GetValueOrDefault(arn, [])
                .OrderBy(l => l.Port ?? 0)
                .Select(l => BuildListener(l, groups))
                .ToImmutableArray();

            var drift = TopologyDrift.ForBalancer(k8s, lb, owners);
            var allTargets = groups.SelectMany(g => g.Targets).ToList();
            var healthy = allTargets.Count(t => t.State == "healthy");
            var flags = LoadBalancerFlags.None;
            if (owners.Length == 0 && ownership.ForThisCluster)
            {
                flags |= LoadBalancerFlags.Orphan;
            }
            // Only drift that changes what AWS does raises the flag; a row that does not matter is shown as such.
            if (drift.Any(d => d.Matters) || groups.Any(g => g.Drift.Any(d => d.Matters)))
            {
                flags |= LoadBalancerFlags.Drift;
            }
            if (allTargets.Count > 0 && healthy == 0 && allTargets.Any(t => t.State is "unhealthy" or "unhealthy.draining"))
            {
                flags |= LoadBalancerFlags.AllUnhealthy;
            }
            if (allTargets.Count == 0)
            {
                flags |= LoadBalancerFlags.NoTargets;
            }
            if (ingressOwners.Count > 1)
            {
                flags |= LoadBalancerFlags.Shared;
            }

            var view = new LoadBalancerViewModel
            {
                Arn = arn,
                Name = lb.LoadBalancerName,
                Type = lb.Type ?? "",
                Scheme = lb.Scheme ?? "",
                State = lb.State?.Code ?? "",
                DnsName = lb.DnsName ?? "",
                CreatedAt = lb.CreatedTime,
                Owners = Shares(owners, groups),
                TaggedOwner = ownership.Tagged,
                IngressGroup = tags.TryGetValue(AwsIndex.IngressStackTag, out var stack) && SplitKey(stack) is null ? stack : null,
                Cluster = AwsIndex.ClusterOf(tags),
                LinkedBy = owners.Length > 0 ? ownership.Source : null,
                Listeners = listeners,
                TargetGroups = [.. groups],
                Attributes = aws.Snapshot.LoadBalancerAttributes.GetValueOrDefault(arn) ?? ImmutableDictionary<string, string>.Empty,
                Tags = tags,
                HealthyTargets = healthy,
                TotalTargets = allTargets.Count,
                Flags = flags,
                Drift = [.. drift.Concat(groups.SelectMany(g => g.Drift.Select(d => d with { Setting = $"{d.Setting} ({g.Name})" })))],
                AsOf = aws.Snapshot.ConfigurationAsOf,
            };

            AddTriage(lb, owners, ownership.Tagged, groups, triage);
            return view;
        }

        /// <summary>
        /// Each owner with its share: 1 for a sole owner; for several (an Ingress group's members), the requests this month
        /// of the target groups that serve each, from the snapshot's usage; equal shares while nothing is known.
        /// </summary>
        private ImmutableArray<BalancerOwner> Shares(ImmutableArray<ObjectRef> owners, List<TargetGroupView> groups)
        {
            if (owners.Length == 1)
            {
                return [new BalancerOwner(owners[0].Kind, owners[0].Namespace, owners[0].Name)];
            }
            var usage = aws.Snapshot.Usage?.TargetGroupRequests;
            var requests = owners
                .Select(o => groups.Where(g => (g.Member ?? g.Service) == o).Sum(g => usage?.GetValueOrDefault(g.Arn) ?? 0))
                .ToList();
            var shares = SplitByRequests(requests);
            return [.. owners.Select((o, i) => new BalancerOwner(o.Kind, o.Namespace, o.Name, shares[i]))];
        }

        private void AddTriage(LoadBalancer lb, ImmutableArray<ObjectRef> owners, ObjectRef? tagged, IEnumerable<TargetGroupView> groups, List<TriageItem> triage)
        {
            foreach (var group in groups)
            {
                var endpointRef = group.Member ?? (owners.Length > 0 ? owners[0] : null) ?? group.Service ?? tagged;
                if (endpointRef is null)
                {
                    continue;
                }
                foreach (var target in group.Targets.Where(t => t.State != "healthy"))
                {
                    var diagnosis = TargetDiagnoser.Diagnose(new TargetDiagnoser.Input(k8s, aws, ctx, lb, aws.TargetGroups[group.Arn], group, target,
                        group.Service is { } s ? k8s.Services.GetValueOrDefault($"{s.Namespace}/{s.Name}") : null));
                    triage.Add(new TriageItem
                    {
                        Endpoint = endpointRef,
                        Severity = diagnosis.Severity,
                        LoadBalancerName = lb.LoadBalancerName,
                        TargetGroupArn = group.Arn,
                        TargetGroupName = group.Name,
                        Target = target,
                        Diagnosis = diagnosis.Diagnosis,
                        AsOf = group.HealthAsOf,
                    });
                }
            }
        }

        /// <summary>
        /// Target groups no listener uses are on no balancer (AWS lists a group's balancers only through its listeners):
        /// their targets still belong in triage, as "not in use".
        /// </summary>
        private void AddDetachedGroups(HashSet<string> attached, List<TriageItem> triage)
        {
            foreach (var tg in aws.Snapshot.TargetGroups)
            {
                if (attached.Contains(tg.TargetGroupArn) || !_tgLinks.TryGetValue(tg.TargetGroupArn, out var link) || link.Service is null)
                {
                    continue;
                }
                var none = new LoadBalancer { LoadBalancerArn = "", LoadBalancerName = "(no balancer)" };
                var view = BuildTargetGroup(tg, link, link.Service, link.Member, new Ownership([], null, null, false));
                AddTriage(none, [], null, [view], triage);
            }
        }

        private bool RoutesTo(ObjectRef ingressRef, ObjectRef? service) =>
            service is not null
            && k8s.Ingresses.TryGetValue($"{ingressRef.Namespace}/{ingressRef.Name}", out var ingress)
            && ingressRef.Namespace == service.Namespace
            && IngressDecoder.BackendServiceNames(ingress).Contains(service.Name, StringComparer.Ordinal);

        private TargetGroupView BuildTargetGroup(TargetGroup tg, TargetGroupLink? link, ObjectRef? service, ObjectRef? member, Ownership ownership)
        {
            var health = aws.Snapshot.TargetHealth.GetValueOrDefault(tg.TargetGroupArn);
            var targetType = tg.TargetType ?? "instance";
            var targets = (health?.Targets ?? [])
                .Select(t => BuildTarget(t, targetType))
                .OrderBy(t => t.Id, StringComparer.Ordinal)
                .ThenBy(t => t.Port)
                .ToImmutableArray();
            var view = new TargetGroupView
            {
                Arn = tg.TargetGroupArn,
                Name = tg.TargetGroupName,
                Protocol = tg.Protocol ?? "",
                Port = tg.Port ?? 0,
                TargetType = targetType,
                HealthCheck = new HealthCheckView(
                    tg.HealthCheckProtocol ?? "",
                    tg.HealthCheckPath,
                    tg.HealthCheckPort ?? "traffic-port",
                    tg.HealthCheckIntervalSeconds ?? 0,
                    tg.HealthCheckTimeoutSeconds ?? 0,
                    tg.HealthyThresholdCount ?? 0,
                    tg.UnhealthyThresholdCount ?? 0,
                    tg.Matcher?.HttpCode ?? tg.Matcher?.GrpcCode),
                Attributes = aws.Snapshot.TargetGroupAttributes.GetValueOrDefault(tg.TargetGroupArn) ?? ImmutableDictionary<string, string>.Empty,
                Service = service,
                ServicePort = link?.ServicePort,
                Member = member,
                LinkedBy = link?.Source ?? (service is not null && ownership.Source is { } source ? source : null),
                Targets = targets,
                HealthAsOf = health?.AsOf,
            };
            return view with { Drift = TopologyDrift.ForTargetGroup(k8s, tg, view, ownership.Owners) };
        }

        private TargetView BuildTarget(ObservedTargetHealth observed, string targetType)
        {
            var d = observed.Description;
            PodView? pod = null;
            NodeView? node = null;
            if (targetType == "ip" && k8s.PodsByIp.TryGetValue(d.Target.Id, out var p))
            {
                pod = KubernetesIndex.ToView(p);
            }
            else if (targetType == "instance" && k8s.NodesByInstanceId.TryGetValue(d.Target.Id, out var n))
            {
                node = KubernetesIndex.ToView(n);
            }
            return new TargetView
            {
                Id = d.Target.Id,
                Port = d.Target.Port ?? 0,
                Zone = d.Target.AvailabilityZone,
                State = string.IsNullOrEmpty(d.TargetHealth.RawState) ? d.TargetHealth.State.ToString().ToLowerInvariant() : d.TargetHealth.RawState,
                Reason = d.TargetHealth.Reason,
                Description = d.TargetHealth.Description,
                Since = observed.Since,
                Pod = pod,
                Node = node,
            };
        }

        private ListenerView BuildListener(Listener listener, List<TargetGroupView> groups)
        {
            var rules = aws.Snapshot.Rules.GetValueOrDefault(listener.ListenerArn, [])
                .Where(r => !r.IsDefault)
                .OrderBy(r => int.TryParse(r.Priority, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue)
                .Select(r => BuildRule(r, groups))
                .ToImmutableArray();
            return new ListenerView(listener.ListenerArn, listener.Protocol ?? "", listener.Port ?? 0,
                listener.Certificates.FirstOrDefault(c => c.IsDefault != false)?.CertificateArn ?? listener.Certificates.FirstOrDefault()?.CertificateArn,
                string.Join("; ", listener.DefaultActions.OrderBy(a => a.Order ?? 0).Select(Describe)),
                rules);
        }

        private RuleView BuildRule(ListenerRule rule, List<TargetGroupView> groups)
        {
            var forwards = rule.Actions
                .Where(a => string.Equals(a.Type, "forward", StringComparison.OrdinalIgnoreCase))
                .SelectMany(a => a.ForwardConfig is { TargetGroups.Count: > 0 } c
                    ? c.TargetGroups.Select(t => (t.TargetGroupArn, t.Weight))
                    : string.IsNullOrEmpty(a.TargetGroupArn) ? [] : [(a.TargetGroupArn, (int?)null)])
                .Select(f => new ForwardView(f.TargetGroupArn, aws.TargetGroups.GetValueOrDefault(f.TargetGroupArn)?.TargetGroupName ?? f.TargetGroupArn, f.Weight))
                .ToImmutableArray();
            var other = rule.Actions.Where(a => !string.Equals(a.Type, "forward", StringComparison.OrdinalIgnoreCase)).Select(Describe).ToList();
            var members = forwards.Select(f => groups.FirstOrDefault(g => g.Arn == f.TargetGroupArn)?.Member).Distinct().ToList();
            return new RuleView(rule.RuleArn, rule.Priority,
                [.. rule.Conditions.Select(c => $"{c.Field}{(c.HttpHeaderName is null ? "" : " " + c.HttpHeaderName)}: {string.Join(", ", c.Values.Concat(c.QueryStrings.Select(q => $"{q.Key}={q.Value}")))}")],
                forwards,
                other.Count == 0 ? null : string.Join("; ", other),
                members.Count == 1 ? members[0] : null);
        }

        private string Describe(ListenerAction action) => action.Type switch
        {
            "forward" => "forward to " + string.Join(", ", AwsIndex.ForwardedArns(action).Select(a => aws.TargetGroups.GetValueOrDefault(a)?.TargetGroupName ?? a)),
            "redirect" when action.RedirectConfig is { } r => $"redirect {r.StatusCode} to {r.Protocol ?? "#{protocol}"}:{r.Port ?? "#{port}"}{(r.Host is null or "#{host}" ? "" : " " + r.Host)}{(r.Path is null or "/#{path}" ? "" : r.Path)}",
            "fixed-response" when action.FixedResponseConfig is { } f => $"fixed response {f.StatusCode}",
            _ => action.Type,
        };
    }
}
