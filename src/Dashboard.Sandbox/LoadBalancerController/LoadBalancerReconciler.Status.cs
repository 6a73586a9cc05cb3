using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>Tearing stacks down and writing what the controller reports on its objects: status, finalizers, warnings.</summary>
internal sealed partial class LoadBalancerReconciler
{
    private void CleanUp(string key, IReadOnlyList<JsonObject> stillPresent)
    {
        if (!_records.Remove(key, out var record))
        {
            return;
        }
        try
        {
            _deployer.Delete(record.Identity);
        }
        catch (AwsApiException e)
        {
            Warn(stillPresent, "FailedCleanup", $"Failed cleanup due to {e.Code}: {e.Message}", "service", record.Owner);
            _records[key] = record;
            runtime.RecheckAt(this, key, runtime.Time.GetUtcNow() + _deployRetry);
            return;
        }
        state.SetInTreeBindings(key, []);
        var labels = BindingLabels(key);
        foreach (var binding in runtime.Cache(ResourceTypes.TargetGroupBindings).All().Where(b => labels.All(l => JsonFields.Labels(b).GetValueOrDefault(l.Key) == l.Value)).ToList())
        {
            runtime.Delete(ResourceTypes.TargetGroupBindings, JsonFields.Namespace(binding), JsonFields.Name(binding)!);
        }
        foreach (var member in record.Members)
        {
            ClearStatus(StackKind(key), member, record.Hostname, Finalizer(key, record.Owner));
        }
        LogDeleted(key);
    }

    private void SetStatus(ResourceType kind, JsonObject member, string hostname, string finalizer)
    {
        var ns = JsonFields.Namespace(member);
        var name = JsonFields.Name(member)!;
        var current = member["status"]?["loadBalancer"]?["ingress"] as JsonArray;
        if (current is not { Count: 1 } || JsonFields.String(current[0], "hostname") != hostname)
        {
            runtime.Mutate(kind, ns, name, o =>
            {
                var status = JsonFields.Child(o, "status");
                status["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["hostname"] = hostname }) };
                return o;
            }, statusOnly: true);
        }
        var finalizers = member["metadata"]?["finalizers"] as JsonArray;
        if (finalizers is null || !finalizers.Any(f => f?.ToString() == finalizer))
        {
            runtime.Mutate(kind, ns, name, o =>
            {
                var list = o["metadata"]!["finalizers"] as JsonArray ?? [];
                list.Add(finalizer);
                o["metadata"]!["finalizers"] = list.DeepClone();
                return o;
            });
        }
    }

    private void ClearStatus(ResourceType kind, string memberKey, string? hostname, string? finalizer = null)
    {
        var (ns, name) = JsonFields.SplitKey(memberKey);
        runtime.Mutate(kind, ns, name, o =>
        {
            var current = o["status"]?["loadBalancer"]?["ingress"] as JsonArray;
            if (hostname is not null && current is { Count: 1 } && JsonFields.String(current[0], "hostname") == hostname)
            {
                o["status"]!["loadBalancer"] = new JsonObject();
            }
            return o;
        }, statusOnly: true);
        if (finalizer is not null)
        {
            runtime.Mutate(kind, ns, name, o =>
            {
                if (o["metadata"]?["finalizers"] is JsonArray list && list.FirstOrDefault(f => f?.ToString() == finalizer) is { } item)
                {
                    list.Remove(item);
                    if (list.Count == 0)
                    {
                        o["metadata"]!.AsObject().Remove("finalizers");
                    }
                }
                return o;
            });
        }
    }

    private void Warn(IReadOnlyList<JsonObject> members, string reason, string message, string component, StackOwner owner)
    {
        foreach (var member in members)
        {
            cluster.RecordEvent(member, EventTypes.Warning, owner == StackOwner.InTree && reason == "FailedBuildModel" ? "SyncLoadBalancerFailed" : reason,
                message, component);
        }
        LogFailed(reason, string.Join(", ", members.Select(m => JsonFields.Namespace(m) + "/" + JsonFields.Name(m))), message);
    }

    private void IndexServices(string groupKey, HashSet<string> services)
    {
        foreach (var set in _groupsByService.Values)
        {
            set.Remove(groupKey);
        }
        foreach (var service in services)
        {
            if (!_groupsByService.TryGetValue(service, out var set))
            {
                _groupsByService[service] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(groupKey);
        }
    }
}
