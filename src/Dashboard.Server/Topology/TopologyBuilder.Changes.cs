using Dashboard.Client.Model;
using Dashboard.Server.Inventory;

namespace Dashboard.Server.Topology;

public static partial class TopologyBuilder
{
    private sealed partial class Join
    {
        private static bool Mentions(Diagnosis diagnosis, ObjectChange change)
        {
            bool In(string? value) => !string.IsNullOrEmpty(value) && (diagnosis.Title.Contains(value, StringComparison.Ordinal)
                || diagnosis.Fix.Contains(value, StringComparison.Ordinal) || diagnosis.Evidence.Any(e => e.Contains(value, StringComparison.Ordinal)));
            return In(change.Field) || In(change.To);
        }

        /// <summary>A change this long before a failure began can still be its cause; older ones are not named.</summary>
        public static readonly TimeSpan PrecedingWindow = TimeSpan.FromMinutes(15);

        /// <summary>A change seen this long after the failure's start still counts: the two clocks (watch arrival, AWS read) differ.</summary>
        private static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(2);

        /// <summary>
        /// Links each triage item to the change that came shortly before it began (<see cref="TriageItem.PrecededBy"/>):
        /// the newest edit of the endpoint's Service or Ingress, of the Service behind its target group, or a rollout or
        /// scale of a Deployment behind that Service, within <see cref="PrecedingWindow"/> before the item's start.
        /// </summary>
        private void AddPrecedingChanges(List<LoadBalancerViewModel> balancers, List<TriageItem> triage)
        {
            if (k8s.Changes.IsEmpty)
            {
                return;
            }
            var services = balancers.SelectMany(b => b.TargetGroups).Where(g => g.Service is not null)
                .GroupBy(g => g.Arn, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Service!, StringComparer.Ordinal);
            for (var i = 0; i < triage.Count; i++)
            {
                var item = triage[i];
                if (item.Target.Since is not { } start)
                {
                    continue;
                }
                var keys = new List<string> { ObjectChangeHistory.Key(item.Endpoint.Kind.ToString(), item.Endpoint.Namespace, item.Endpoint.Name) };
                if (services.TryGetValue(item.TargetGroupArn, out var service))
                {
                    keys.Add(ObjectChangeHistory.Key("Service", service.Namespace, service.Name));
                    if (k8s.Services.GetValueOrDefault($"{service.Namespace}/{service.Name}") is { } svc)
                    {
                        keys.AddRange(ReplicaDiagnoser.Feeding(k8s, svc).Select(d => ObjectChangeHistory.Key("Deployment", d.Metadata.NamespaceProperty, d.Metadata.Name)));
                    }
                }
                var change = keys.Distinct(StringComparer.Ordinal)
                    .SelectMany(k => k8s.Changes.GetValueOrDefault(k, []))
                    .Where(c => c.At <= start + ClockSlack && start - c.At <= PrecedingWindow)
                    // The newest; among changes seen together, one the diagnosis names, then an annotation or spec edit
                    // before a scale or rollout.
                    .OrderByDescending(c => c.At).ThenByDescending(c => Mentions(item.Diagnosis, c)).ThenBy(c => c.Kind)
                    .FirstOrDefault();
                if (change is null)
                {
                    continue;
                }
                triage[i] = item with
                {
                    PrecededBy = new PrecedingChange
                    {
                        At = change.At,
                        Lead = start > change.At ? start - change.At : TimeSpan.Zero,
                        Kind = change.Kind,
                        ObjectKind = change.ObjectKind,
                        Namespace = change.Namespace,
                        Name = change.Name,
                        Field = change.Field,
                        From = change.From,
                        To = change.To,
                    },
                };
            }
        }
    }
}
