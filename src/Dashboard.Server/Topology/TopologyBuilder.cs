using System.Collections.Immutable;
using System.Globalization;
using Dashboard.Client.Model;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.LoadBalancers;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>
/// The join of the Kubernetes and AWS snapshots into endpoints: Service/Ingress → load balancer → listeners and rules →
/// target groups → targets → pods or nodes, with drift, orphans, strays, diagnoses and the endpoint checklist. Pure: the
/// same inputs always give the same topology, and it does no I/O.
/// Order of trust for links: TargetGroupBinding (target group ↔ Service port), then the controller's tags keyed on this
/// cluster, then status hostname = DNS name (with the in-tree provider's <c>kubernetes.io/service-name</c> tag).
/// </summary>
public static partial class TopologyBuilder
{
    public static EndpointTopology Build(KubernetesSnapshot k8s, AwsSnapshot aws, TopologyContext ctx)
    {
        ArgumentNullException.ThrowIfNull(k8s);
        return Build(KubernetesIndex.From(k8s), aws, ctx);
    }

    /// <summary>Joins a frozen copy of the cluster index with the AWS snapshot.</summary>
    internal static EndpointTopology Build(KubernetesIndex index, AwsSnapshot aws, TopologyContext ctx)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(ctx);
        return new Join(index, new AwsIndex(aws), ctx).Run() with { Index = index };
    }

    /// <summary>How a target group is tied to a Service port and, in an Ingress group, to its member Ingress.</summary>
    internal sealed record TargetGroupLink(ObjectRef? Service, string? ServicePort, ObjectRef? Member, LinkSource Source);

    /// <summary>
    /// The live objects owning a balancer and how they were found (before their shares are known); <see cref="Tagged"/> is
    /// the owner the tags claim, live or not.
    /// </summary>
    internal sealed record Ownership(ImmutableArray<ObjectRef> Owners, LinkSource? Source, ObjectRef? Tagged, bool ForThisCluster);

    /// <summary>
    /// Shares by each owner's requests; equal shares when no owner had any (or nothing is known). The shares add up to 1.
    /// </summary>
    public static IReadOnlyList<double> SplitByRequests(IReadOnlyList<double> requestsPerOwner)
    {
        ArgumentNullException.ThrowIfNull(requestsPerOwner);
        if (requestsPerOwner.Count == 0)
        {
            return [];
        }
        var total = requestsPerOwner.Sum(r => Math.Max(0, r));
        return total <= 0
            ? [.. requestsPerOwner.Select(_ => 1.0 / requestsPerOwner.Count)]
            : [.. requestsPerOwner.Select(r => Math.Max(0, r) / total)];
    }

    private sealed partial class Join(KubernetesIndex k8s, AwsIndex aws, TopologyContext ctx)
    {
        private readonly Dictionary<string, TargetGroupLink> _tgLinks = new(StringComparer.Ordinal);
        private string? _cluster;

        public EndpointTopology Run()
        {
            _cluster = ctx.ClusterName ?? InferCluster();
            foreach (var tg in aws.Snapshot.TargetGroups)
            {
                if (LinkTargetGroup(tg) is { } link)
                {
                    _tgLinks[tg.TargetGroupArn] = link;
                }
            }

            var balancers = new List<LoadBalancerViewModel>(aws.Snapshot.LoadBalancers.Length);
            var byOwner = new Dictionary<string, List<LoadBalancerViewModel>>(StringComparer.Ordinal);
            var owners = new Dictionary<string, ObjectRef>(StringComparer.Ordinal);
            var triage = new List<TriageItem>();
            foreach (var lb in aws.Snapshot.LoadBalancers.OrderBy(l => l.LoadBalancerName, StringComparer.Ordinal))
            {
                var ownership = OwnersOf(lb);
                var view = BuildBalancer(lb, ownership, triage);
                balancers.Add(view);
                // The balancer appears under each owner, and under each Service its target groups serve.
                foreach (var owner in view.Owners.Select(o => o.Object).Concat(view.TargetGroups.Select(t => t.Service).OfType<ObjectRef>()).Distinct())
                {
                    owners[owner.Key] = owner;
                    if (!byOwner.TryGetValue(owner.Key, out var list))
                    {
                        byOwner[owner.Key] = list = [];
                    }
                    list.Add(view);
                }
            }

            AddDetachedGroups([.. balancers.SelectMany(b => b.TargetGroups).Select(t => t.Arn)], triage);
            AddCapacity(balancers, triage);

            var triageByGroup = triage.ToLookup(t => t.TargetGroupArn, StringComparer.Ordinal);
            var endpoints = ImmutableDictionary.CreateBuilder<string, EndpointViewModel>(StringComparer.Ordinal);
            var hosts = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var candidate in ExposedObjects().Concat(owners.Values).DistinctBy(o => o.Key))
            {
                if (!Exists(candidate))
                {
                    continue;
                }
                var lbs = byOwner.GetValueOrDefault(candidate.Key) ?? [];
                var endpoint = BuildEndpoint(candidate, [.. lbs], triageByGroup);
                endpoints[candidate.Key] = endpoint;
                foreach (var host in EndpointChecklist.HostsOf(this.K8s, candidate, lbs))
                {
                    hosts.Add(host);
                }
            }

            return new EndpointTopology
            {
                LoadBalancers = [.. balancers],
                Endpoints = endpoints.ToImmutable(),
                Triage = [.. triage.OrderBy(t => t.Severity).ThenBy(t => t.Endpoint.Key, StringComparer.Ordinal).ThenBy(t => t.Key, StringComparer.Ordinal)],
                HostsToResolve = [.. hosts],
                ClusterName = _cluster,
            };
        }

        private KubernetesIndex K8s => k8s;

        // ---- cluster -------------------------------------------------------------------------------------------------

        /// <summary>The cluster tag most often seen on balancers whose tags name a live object.</summary>
        private string? InferCluster()
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var lb in aws.Snapshot.LoadBalancers)
            {
                var tags = aws.TagsOf(lb.LoadBalancerArn);
                if (AwsIndex.ClusterOf(tags) is { } cluster && TaggedOwners(tags).Owners.Length > 0)
                {
                    counts[cluster] = counts.GetValueOrDefault(cluster) + 1;
                }
            }
            return counts.Count == 0 ? null : counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key;
        }

        /// <summary>Tags may be trusted when they name this cluster, or name none we could tell apart.</summary>
        private bool TagsTrusted(ImmutableDictionary<string, string> tags)
        {
            var cluster = AwsIndex.ClusterOf(tags);
            return cluster is null || _cluster is null || string.Equals(cluster, _cluster, StringComparison.Ordinal);
        }

        // ---- target groups ----------------------------------------------------------------------------------------------

        private TargetGroupLink? LinkTargetGroup(TargetGroup tg)
        {
            var tags = aws.TagsOf(tg.TargetGroupArn);
            var trusted = TagsTrusted(tags);
            var member = trusted && tags.TryGetValue(AwsIndex.IngressResourceTag, out var resource) ? ParseIngressResource(resource) : null;
            if (k8s.BindingsByArn.TryGetValue(tg.TargetGroupArn, out var binding))
            {
                return new TargetGroupLink(new ObjectRef(ObjectKind.Service, binding.Namespace, binding.ServiceName), binding.ServicePort,
                    member?.Ingress ?? MemberFromLabels(binding), LinkSource.TargetGroupBinding);
            }
            if (!trusted)
            {
                return null;
            }
            if (member is not null)
            {
                return new TargetGroupLink(member.Service, member.Port, member.Ingress, LinkSource.ControllerTags);
            }
            if (tags.TryGetValue(AwsIndex.ServiceResourceTag, out var serviceResource) && ParseServiceResource(serviceResource) is { } port)
            {
                return new TargetGroupLink(port.Service, port.Port, null, LinkSource.ControllerTags);
            }
            if (tags.TryGetValue(AwsIndex.InTreeServiceTag, out var inTree) && SplitKey(inTree) is { } svc)
            {
                return new TargetGroupLink(new ObjectRef(ObjectKind.Service, svc.Namespace, svc.Name), tg.Port?.ToString(CultureInfo.InvariantCulture), null, LinkSource.ControllerTags);
            }
            return null;
        }

        private ObjectRef? MemberFromLabels(TargetGroupBinding binding) =>
            binding.Labels.TryGetValue("ingress.k8s.aws/stack-namespace", out var ns) && binding.Labels.TryGetValue("ingress.k8s.aws/stack-name", out var name)
                ? new ObjectRef(ObjectKind.Ingress, ns, name)
                : null;

        private sealed record ServicePortRef(ObjectRef? Service, string? Port, ObjectRef? Ingress);

        /// <summary><c>{ns}/{svc}:{port}</c>.</summary>
        private static ServicePortRef? ParseServiceResource(string value)
        {
            var slash = value.IndexOf('/', StringComparison.Ordinal);
            var colon = value.LastIndexOf(':');
            if (slash <= 0 || colon <= slash + 1)
            {
                return null;
            }
            return new ServicePortRef(new ObjectRef(ObjectKind.Service, value[..slash], value[(slash + 1)..colon]), value[(colon + 1)..], null);
        }

        /// <summary>
        /// <c>{ns}/{ingress}-{svc}:{port}</c>: names may hold dashes, so the split is found against the live Ingresses and
        /// their backends (longest Ingress name first), then against the live Services.
        /// </summary>
        private ServicePortRef? ParseIngressResource(string value)
        {
            var parsed = ParseServiceResource(value);
            if (parsed?.Service is not { } joined)
            {
                return null;
            }
            var ns = joined.Namespace;
            var middle = joined.Name;
            foreach (var ingress in k8s.Ingresses.Values
                .Where(i => i.Metadata?.NamespaceProperty == ns && middle.StartsWith(i.Metadata.Name + "-", StringComparison.Ordinal))
                .OrderByDescending(i => i.Metadata.Name.Length).ThenBy(i => i.Metadata.Name, StringComparer.Ordinal))
            {
                var svc = middle[(ingress.Metadata.Name.Length + 1)..];
                if (IngressDecoder.BackendServiceNames(ingress).Contains(svc, StringComparer.Ordinal) || ServiceActions(ingress).Contains(svc))
                {
                    return new ServicePortRef(new ObjectRef(ObjectKind.Service, ns, svc), parsed.Port, KubernetesIndex.Ref(ObjectKind.Ingress, ingress.Metadata));
                }
            }
            foreach (var service in k8s.Services.Values
                .Where(s => s.Metadata?.NamespaceProperty == ns && middle.EndsWith("-" + s.Metadata.Name, StringComparison.Ordinal))
                .OrderByDescending(s => s.Metadata.Name.Length).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
            {
                var ingressName = middle[..^(service.Metadata.Name.Length + 1)];
                return new ServicePortRef(KubernetesIndex.Ref(ObjectKind.Service, service.Metadata), parsed.Port, new ObjectRef(ObjectKind.Ingress, ns, ingressName));
            }
            return null;
        }

        /// <summary>Services named inside <c>alb.ingress.kubernetes.io/actions.*</c> forward configs (weighted routing).</summary>
        private static HashSet<string> ServiceActions(V1Ingress ingress)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (key, value) in ingress.Metadata?.Annotations ?? new Dictionary<string, string>())
            {
                if (!key.StartsWith(IngressDecoder.Prefix + "actions.", StringComparison.Ordinal))
                {
                    continue;
                }
                const string marker = "\"serviceName\"";
                var at = value.IndexOf(marker, StringComparison.Ordinal);
                while (at >= 0)
                {
                    var open = value.IndexOf('"', value.IndexOf(':', at + marker.Length) + 1);
                    var close = open < 0 ? -1 : value.IndexOf('"', open + 1);
                    if (close < 0)
                    {
                        break;
                    }
                    names.Add(value[(open + 1)..close]);
                    at = value.IndexOf(marker, close, StringComparison.Ordinal);
                }
            }
            return names;
        }

        private static (string Namespace, string Name)? SplitKey(string value)
        {
            var slash = value.IndexOf('/', StringComparison.Ordinal);
            return slash > 0 && slash < value.Length - 1 ? (value[..slash], value[(slash + 1)..]) : null;
        }

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

        // ---- endpoints ----------------------------------------------------------------------------------------------

        /// <summary>Services that ask for a balancer (AWS LBC or in-tree) and ALB Ingresses: whether or not they got one.</summary>
        private IEnumerable<ObjectRef> ExposedObjects()
        {
            foreach (var service in k8s.Services.Values)
            {
                if (service.Spec?.Type == "LoadBalancer" && ServiceDecoder.DecodeLoadBalancer(service).Controller != LoadBalancerController.Other)
                {
                    yield return KubernetesIndex.Ref(ObjectKind.Service, service.Metadata);
                }
            }
            foreach (var ingress in k8s.Ingresses.Values)
            {
                if (k8s.IsAlb(ingress))
                {
                    yield return KubernetesIndex.Ref(ObjectKind.Ingress, ingress.Metadata);
                }
            }
        }

        private bool Exists(ObjectRef o) => o.Kind == ObjectKind.Service
            ? k8s.Services.ContainsKey($"{o.Namespace}/{o.Name}")
            : k8s.Ingresses.ContainsKey($"{o.Namespace}/{o.Name}");

        private EndpointViewModel BuildEndpoint(ObjectRef obj, ImmutableArray<LoadBalancerViewModel> lbs, ILookup<string, TriageItem> triage)
        {
            var events = EndpointEvents(obj, lbs);
            string? missing = null;
            if (lbs.IsEmpty)
            {
                missing = MissingReason(obj);
            }
            var owner = lbs.Any(l => l.Owners.Any(o => o.Object == obj));
            var diagnoses = lbs.SelectMany(l => l.TargetGroups).Select(t => t.Arn).Distinct(StringComparer.Ordinal)
                .SelectMany(arn => triage[arn])
                .Where(t => owner || t.Endpoint == obj)
                .GroupBy(t => t.Diagnosis.Code + "|" + t.TargetGroupArn)
                .Select(g => g.OrderBy(t => t.Severity).First().Diagnosis)
                .DistinctBy(d => (d.Code, d.Title))
                .ToImmutableArray();
            var endpoint = new EndpointViewModel
            {
                Object = obj,
                LoadBalancers = lbs,
                Events = events,
                Diagnoses = diagnoses,
                MissingBalancerReason = missing,
                AsOf = aws.Snapshot.ConfigurationAsOf,
            };
            return endpoint with { Checklist = EndpointChecklist.Build(k8s, ctx, endpoint, aws.Snapshot) };
        }

        /// <summary>
        /// Why an object that should have a balancer has none: the newest Warning event of the controller on it
        /// (FailedBuildModel, FailedDeployModel, SyncLoadBalancerFailed …), else a plain statement of what is missing.
        /// </summary>
        private string MissingReason(ObjectRef obj)
        {
            var warning = k8s.EventsOf(obj.Kind.ToString(), obj.Namespace, obj.Name).FirstOrDefault(e => e.Type == "Warning");
            if (warning is not null)
            {
                return $"{warning.Reason}: {warning.Message}";
            }
            return obj.Kind == ObjectKind.Service
                ? "No load balancer in AWS carries this Service's tags or its status hostname, and the controller reported no Warning event (still provisioning, or no controller handles it)."
                : "No load balancer in AWS carries this Ingress's group tags or its status hostname, and the controller reported no Warning event (still provisioning, or the AWS Load Balancer Controller is not running).";
        }

        private ImmutableArray<EventView> EndpointEvents(ObjectRef obj, ImmutableArray<LoadBalancerViewModel> lbs)
        {
            var related = new List<Corev1Event>(k8s.EventsOf(obj.Kind.ToString(), obj.Namespace, obj.Name));
            var pods = lbs.SelectMany(l => l.TargetGroups)
                .Where(t => t.Member is null || t.Member == obj || obj.Kind == ObjectKind.Service)
                .SelectMany(t => t.Targets)
                .Select(t => t.Pod)
                .OfType<PodView>()
                .DistinctBy(p => (p.Namespace, p.Name));
            foreach (var pod in pods)
            {
                related.AddRange(k8s.EventsOf("Pod", pod.Namespace, pod.Name));
            }
            foreach (var tg in lbs.SelectMany(l => l.TargetGroups))
            {
                if (k8s.BindingsByArn.TryGetValue(tg.Arn, out var binding))
                {
                    related.AddRange(k8s.EventsOf("TargetGroupBinding", binding.Namespace, binding.Name));
                }
            }
            return [.. related
                .DistinctBy(e => e.Metadata?.Uid ?? e.Metadata?.Name)
                .OrderByDescending(e => KubernetesEvents.LastSeen(e) ?? DateTimeOffset.MinValue)
                .Take(ctx.MaxEventsPerEndpoint)
                .Select(KubernetesEvents.ToView)];
        }
    }
}
