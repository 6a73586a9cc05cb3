using System.Globalization;
using Dashboard.Client.Model;
using k8s.Models;

namespace Dashboard.Server.Topology;

public static partial class TopologyBuilder
{
    private sealed partial class Join
    {
        /// <summary>
        /// Triage by the endpoint's capacity, not only the targets AWS lists: for each owned balancer's target group, the
        /// pods its Service selects that are not serving (and not already a listed target), once per endpoint; and a
        /// target group with no target at all. A pod that failed its readiness probe and was deregistered is gone from
        /// AWS's list, but not from here.
        /// </summary>
        private void AddCapacity(List<LoadBalancerViewModel> balancers, List<TriageItem> triage)
        {
            Dictionary<string, List<V1Pod>>? byNamespace = null;
            List<V1Pod> PodsIn(string ns)
            {
                byNamespace ??= k8s.PodsByName.Values.GroupBy(p => p.Metadata?.NamespaceProperty ?? "default")
                    .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
                return byNamespace.GetValueOrDefault(ns) ?? [];
            }

            // Pods already explained through a target of the endpoint.
            var listed = triage.Where(t => t.Target.Pod is not null)
                .Select(t => $"{t.Endpoint.Key}|{t.Target.Pod!.Namespace}/{t.Target.Pod.Name}")
                .ToHashSet(StringComparer.Ordinal);
            var healthyByEndpoint = new Dictionary<string, bool>(StringComparer.Ordinal);
            var work = new List<(LoadBalancerViewModel Lb, TargetGroupView Group, ObjectRef Endpoint)>();
            foreach (var lb in balancers)
            {
                if (lb.Owners.Length == 0)
                {
                    continue;
                }
                foreach (var group in lb.TargetGroups)
                {
                    var endpoint = group.Member ?? lb.Owners[0].Object;
                    work.Add((lb, group, endpoint));
                    healthyByEndpoint[endpoint.Key] = healthyByEndpoint.GetValueOrDefault(endpoint.Key) || group.Targets.Any(t => t.State == "healthy");
                }
            }

            foreach (var (lb, group, endpoint) in work)
            {
                var service = group.Service is { } s ? k8s.Services.GetValueOrDefault($"{s.Namespace}/{s.Name}") : null;
                var selected = service is null ? [] : CapacityDiagnoser.Selected(service, PodsIn(service.Metadata.NamespaceProperty)).ToList();
                if (service is not null)
                {
                    foreach (var pod in selected.Where(p => !KubernetesIndex.IsReady(p)))
                    {
                        var podKey = KubernetesIndex.Key(pod.Metadata);
                        if (!listed.Add($"{endpoint.Key}|{podKey}"))
                        {
                            continue;
                        }
                        var result = CapacityDiagnoser.PodNotServing(k8s, ctx, service, pod, healthyByEndpoint.GetValueOrDefault(endpoint.Key));
                        triage.Add(new TriageItem
                        {
                            Endpoint = endpoint,
                            Severity = result.Severity,
                            LoadBalancerName = lb.Name,
                            TargetGroupArn = group.Arn,
                            TargetGroupName = group.Name,
                            Target = new TargetView
                            {
                                Id = pod.Status?.PodIP ?? pod.Metadata.Name,
                                Port = TargetPort(service, group, pod),
                                State = "not serving",
                                Reason = NotServingReason(pod),
                                Since = CapacityDiagnoser.NotReadySince(pod),
                                Pod = KubernetesIndex.ToView(pod),
                            },
                            Diagnosis = result.Diagnosis,
                            AsOf = group.HealthAsOf,
                            Kind = TriageItemKind.Pod,
                        });
                    }
                }
                if (service is not null)
                {
                    AddReplicas(lb, group, endpoint, service, PodsIn(service.Metadata.NamespaceProperty), triage);
                }
                // A target group no health read covers yet is not known to be empty.
                if (group.Targets.Length == 0 && group.HealthAsOf is not null)
                {
                    var result = CapacityDiagnoser.NoTargets(k8s, group, service, selected, service is null ? [] : PodsIn(service.Metadata.NamespaceProperty));
                    triage.Add(new TriageItem
                    {
                        Endpoint = endpoint,
                        Severity = result.Severity,
                        LoadBalancerName = lb.Name,
                        TargetGroupArn = group.Arn,
                        TargetGroupName = group.Name,
                        Target = new TargetView { Id = "(no targets)", Port = group.Port, State = "no targets" },
                        Diagnosis = result.Diagnosis,
                        AsOf = group.HealthAsOf,
                        Kind = TriageItemKind.NoTargets,
                    });
                }
            }
        }

        /// <summary>
        /// An endpoint below the desired replicas of a Deployment behind its Service: one item per endpoint and Deployment
        /// (on the first of the endpoint's target groups it feeds), whatever the pods' own items say.
        /// </summary>
        private void AddReplicas(LoadBalancerViewModel lb, TargetGroupView group, ObjectRef endpoint, V1Service service, List<V1Pod> namespacePods, List<TriageItem> triage)
        {
            foreach (var deployment in ReplicaDiagnoser.Feeding(k8s, service))
            {
                var id = $"deployment/{deployment.Metadata.Name}";
                if (triage.Any(t => t.Kind == TriageItemKind.Replicas && t.Endpoint == endpoint && t.Target.Id == id))
                {
                    continue;
                }
                var pods = namespacePods.Where(p => ReplicaDiagnoser.Owns(deployment, p)).ToList();
                if (ReplicaDiagnoser.Below(ctx, endpoint, deployment, pods) is not { } result)
                {
                    continue;
                }
                var ready = pods.Count(p => p.Metadata?.DeletionTimestamp is null && KubernetesIndex.IsReady(p));
                triage.Add(new TriageItem
                {
                    Endpoint = endpoint,
                    Severity = result.Severity,
                    LoadBalancerName = lb.Name,
                    TargetGroupArn = group.Arn,
                    TargetGroupName = group.Name,
                    Target = new TargetView
                    {
                        Id = id,
                        Port = group.Port,
                        State = "below desired",
                        Reason = $"{ready}/{deployment.Spec?.Replicas ?? 1} ready",
                        Since = pods.Where(p => !KubernetesIndex.IsReady(p)).Select(CapacityDiagnoser.NotReadySince).Where(s => s is not null).Min()
                            ?? ReplicasChangedAt(deployment),
                    },
                    Diagnosis = result.Diagnosis,
                    AsOf = group.HealthAsOf,
                    Kind = TriageItemKind.Replicas,
                });
            }
        }

        /// <summary>When the Deployment last changed availability (its Available condition), for an item with no pod to date it.</summary>
        private static DateTimeOffset? ReplicasChangedAt(V1Deployment deployment) =>
            deployment.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available")?.LastTransitionTime is { } t
                ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

        /// <summary>The port the pod would be registered on: the Service port's targetPort (a name resolved in the pod), else the group's port.</summary>
        private static int TargetPort(V1Service service, TargetGroupView group, V1Pod pod)
        {
            var port = service.Spec?.Ports?.FirstOrDefault(p => group.ServicePort is { } sp
                && (string.Equals(p.Name, sp, StringComparison.Ordinal) || p.Port.ToString(CultureInfo.InvariantCulture) == sp))
                ?? (service.Spec?.Ports?.Count == 1 ? service.Spec.Ports[0] : null);
            if (port?.TargetPort?.Value is { } target)
            {
                if (int.TryParse(target, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }
                var named = pod.Spec?.Containers?.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == target);
                if (named is not null)
                {
                    return named.ContainerPort;
                }
            }
            return port?.Port ?? group.Port;
        }

        private static string NotServingReason(V1Pod pod) =>
            KubernetesIndex.CrashLooping(pod) is not null ? "CrashLoopBackOff"
            : pod.Status?.Phase == "Pending" ? "Pending"
            : "NotReady";
    }
}
