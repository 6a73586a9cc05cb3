using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Topology;

public static partial class TopologyBuilder
{
    /// <summary>The join's endpoints: each exposed Service or Ingress with its chain, checklist and events.</summary>
    private sealed partial class Join
    {
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
                Deletion = obj.Kind == ObjectKind.Service
                    ? k8s.Services.GetValueOrDefault($"{obj.Namespace}/{obj.Name}") is { } service ? ObjectDeletion.Of(service.Metadata?.DeletionTimestamp, service.Metadata?.Finalizers) : null
                    : k8s.Ingresses.GetValueOrDefault($"{obj.Namespace}/{obj.Name}") is { } ingress ? ObjectDeletion.Of(ingress.Metadata?.DeletionTimestamp, ingress.Metadata?.Finalizers) : null,
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
