using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>
/// The TargetGroupBinding reconciler: registers a Service's endpoints in its target groups and deregisters the ones that
/// left. ip targets are EndpointSlice endpoints that are ready (or not ready only because one of the controller's
/// readiness gates is still pending, with their containers ready); instance targets are the nodes (their EC2 instance
/// id from <c>spec.providerID</c>) on the Service's node port. Key: <c>{ns}/{service}</c>.
/// </summary>
internal sealed partial class TargetRegistrar(ClusterRuntime runtime, AwsWorld aws, ControllerState state, ILogger logger) : IClusterController
{
    private const string ServiceNameLabel = "kubernetes.io/service-name";
    private const string ExcludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers";

    public void OnChange(ObjectChange change)
    {
        if (change.Type == ResourceTypes.EndpointSlices)
        {
            if (JsonFields.Labels(change.Current).TryGetValue(ServiceNameLabel, out var service))
            {
                runtime.Enqueue(this, change.Namespace + "/" + service);
            }
        }
        else if (change.Type == ResourceTypes.TargetGroupBindings)
        {
            foreach (var binding in new[] { change.Old, change.New }.OfType<JsonObject>().Select(TargetBinding.FromObject).OfType<TargetBinding>())
            {
                runtime.Enqueue(this, binding.ServiceKey);
            }
        }
        else if (change.Type == ResourceTypes.Pods)
        {
            // A pod's readiness gate or container readiness can change whether a not-ready endpoint is registered;
            // everything else the registrar binds (addresses, ports, readiness of endpoints) arrives as an EndpointSlice
            // change. Other pod updates (annotations, labels, restarts) leave the registrations alone.
            if (change.Old is not null && change.New is not null && !AffectsRegistration(change.Old, change.New))
            {
                return;
            }
            foreach (var binding in Bindings().Where(b => b.Namespace == change.Namespace && b.TargetType == "ip"))
            {
                runtime.Enqueue(this, binding.ServiceKey);
            }
        }
        else if (change.Type is { } type && (type == ResourceTypes.Nodes || type == ResourceTypes.Services))
        {
            foreach (var binding in Bindings().Where(b => b.TargetType == "instance"))
            {
                runtime.Enqueue(this, binding.ServiceKey);
            }
        }
    }

    /// <summary>What <see cref="ReadinessGates.IsPendingOnlyOnGate"/> reads of a pod: Ready, ContainersReady and the gate conditions' status.</summary>
    private static bool AffectsRegistration(JsonObject old, JsonObject current) =>
        PodStatus.PodIp(old) != PodStatus.PodIp(current) || RegistrationConditions(old) != RegistrationConditions(current);

    private static string RegistrationConditions(JsonObject pod) =>
        string.Join(';', JsonFields.Objects(pod["status"]?["conditions"])
            .Select(c => (Type: JsonFields.String(c, "type") ?? "", Status: JsonFields.String(c, "status") ?? ""))
            .Where(c => c.Type is "Ready" or "ContainersReady" || c.Type.StartsWith(ControllerAnnotations.ReadinessGatePrefix, StringComparison.Ordinal))
            .OrderBy(c => c.Type, StringComparer.Ordinal)
            .Select(c => c.Type + "=" + c.Status));

    /// <summary>Every binding the controller acts on: TargetGroupBinding objects and in-tree target groups.</summary>
    public IEnumerable<TargetBinding> Bindings() =>
        runtime.Cache(ResourceTypes.TargetGroupBindings).All().Select(TargetBinding.FromObject).OfType<TargetBinding>().Concat(state.InTreeBindings);

    public void Reconcile(string key)
    {
        var (ns, name) = JsonFields.SplitKey(key);
        var service = runtime.Cache(ResourceTypes.Services).Get(ns, name);
        foreach (var binding in Bindings().Where(b => b.Namespace == ns && b.ServiceName == name))
        {
            try
            {
                Register(binding, service);
            }
            catch (AwsApiException e)
            {
                LogRegistrationFailed(binding.TargetGroupArn, e.Code, e.Message);
            }
        }
    }

    private void Register(TargetBinding binding, JsonObject? service)
    {
        if (aws.FindTargetGroup(binding.TargetGroupArn) is null)
        {
            return;
        }
        var desired = service is null ? [] : binding.TargetType == "ip" ? IpTargets(binding, service) : InstanceTargets(binding, service);
        var current = aws.GetTargets(binding.TargetGroupArn).Where(t => t.Health.State != TargetHealthState.Draining).ToList();
        var added = desired.Where(d => !current.Any(c => c.Id == d.Id && c.Port == d.Port)).ToList();
        var removed = current.Where(c => !desired.Any(d => d.Id == c.Id && d.Port == c.Port)).Select(c => new TargetDescription(c.Id, c.Port)).ToList();
        if (added.Count > 0)
        {
            aws.RegisterTargets(binding.TargetGroupArn, added);
        }
        if (removed.Count > 0)
        {
            aws.DeregisterTargets(binding.TargetGroupArn, removed);
        }
    }

    private List<TargetDescription> IpTargets(TargetBinding binding, JsonObject service)
    {
        var portName = ServicePort(service, binding.ServicePort) is { } port ? JsonFields.String(port, "name") ?? "" : null;
        if (portName is null)
        {
            return [];
        }
        var pods = runtime.Cache(ResourceTypes.Pods);
        var targets = new List<TargetDescription>();
        foreach (var slice in runtime.Cache(ResourceTypes.EndpointSlices).InNamespace(binding.Namespace))
        {
            if (JsonFields.Labels(slice).GetValueOrDefault(ServiceNameLabel) != binding.ServiceName)
            {
                continue;
            }
            var slicePort = JsonFields.Objects(slice["ports"]).FirstOrDefault(p => (JsonFields.String(p, "name") ?? "") == portName);
            if (slicePort is null || JsonFields.Long(slicePort, "port") is not { } number)
            {
                continue;
            }
            foreach (var endpoint in JsonFields.Objects(slice["endpoints"]))
            {
                var address = (endpoint["addresses"] as JsonArray)?.FirstOrDefault()?.ToString();
                if (address is null)
                {
                    continue;
                }
                var ready = JsonFields.Bool(endpoint["conditions"], "ready") ?? true;
                if (!ready)
                {
                    var podName = JsonFields.String(endpoint["targetRef"], "name");
                    var pod = podName is null ? null : pods.Get(binding.Namespace, podName);
                    if (pod is null || !ReadinessGates.IsPendingOnlyOnGate(pod, binding))
                    {
                        continue;
                    }
                }
                targets.Add(new TargetDescription(address, (int)number, JsonFields.String(endpoint, "zone")));
            }
        }
        return targets;
    }

    private List<TargetDescription> InstanceTargets(TargetBinding binding, JsonObject service)
    {
        if (ServicePort(service, binding.ServicePort) is not { } port || JsonFields.Long(port, "nodePort") is not { } nodePort)
        {
            return [];
        }
        var targets = new List<TargetDescription>();
        foreach (var node in runtime.Cache(ResourceTypes.Nodes).All())
        {
            var labels = JsonFields.Labels(node);
            if (labels.ContainsKey(ExcludeLabel) || binding.NodeSelector.Any(s => labels.GetValueOrDefault(s.Key) != s.Value)
                || JsonFields.String(node["spec"], "providerID") is not { } providerId)
            {
                continue;
            }
            var ready = JsonFields.Objects(node["status"]?["conditions"]).Any(c => JsonFields.String(c, "type") == "Ready" && JsonFields.String(c, "status") == "True");
            if (!ready)
            {
                continue;
            }
            targets.Add(new TargetDescription(providerId[(providerId.LastIndexOf('/') + 1)..], (int)nodePort, labels.GetValueOrDefault("topology.kubernetes.io/zone")));
        }
        return targets;
    }

    internal static JsonObject? ServicePort(JsonObject service, string port) =>
        JsonFields.Objects(service["spec"]?["ports"]).FirstOrDefault(p =>
            JsonFields.Long(p, "port")?.ToString(CultureInfo.InvariantCulture) == port || JsonFields.String(p, "name") == port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering targets in {TargetGroup} failed: {Code} {Message}")]
    private partial void LogRegistrationFailed(string targetGroup, string code, string message);
}
