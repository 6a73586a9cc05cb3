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
            AddPrecedingChanges(balancers, triage);

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
    }
}
