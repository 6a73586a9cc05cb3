using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>What the reconciler remembers about a deployed stack, to clean it up and to notice real changes.</summary>
internal sealed record StackRecord
{
    public required StackOwner Owner { get; init; }
    public required ImmutableDictionary<string, string> Identity { get; init; }
    public string? LoadBalancerArn { get; init; }
    public string? Hostname { get; init; }

    /// <summary>Member objects (<c>ns/name</c>) whose status carries the hostname.</summary>
    public ImmutableHashSet<string> Members { get; init; } = [];

    /// <summary>The inputs last reconciled successfully; a new value is worth a <c>SuccessfullyReconciled</c> event.</summary>
    public string? Fingerprint { get; init; }
}

/// <summary>
/// The Service and Ingress reconcilers of the simulated AWS Load Balancer Controller (and the in-tree provider's NLB
/// path): build the stack, deploy it, keep TargetGroupBindings, activate the load balancer after the provisioning
/// delay, write the hostname into status, and report the outcome as Events. Keys: <c>service/{ns}/{name}</c> and
/// <c>ingress/{group}</c>. Runs on the controller's loop only.
/// </summary>
internal sealed partial class LoadBalancerReconciler(ClusterRuntime runtime, AwsWorld aws, ClusterSimulation cluster, ControllerState state,
    TimeSpan provisioningDelay, ILogger logger) : IClusterController
{
    private static readonly TimeSpan _deployRetry = TimeSpan.FromSeconds(15);
    private readonly StackDeployer _deployer = new(aws);
    private readonly Dictionary<string, StackRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _groupsByService = new(StringComparer.Ordinal);

    public IClusterController? Registrar { get; set; }

    public void OnChange(ObjectChange change)
    {
        if (change.Type == ResourceTypes.Services)
        {
            runtime.Enqueue(this, ServiceModelBuilder.StackKey(change.Namespace, change.Name));
            if (_groupsByService.TryGetValue(change.Namespace + "/" + change.Name, out var groups))
            {
                foreach (var group in groups)
                {
                    runtime.Enqueue(this, group);
                }
            }
        }
        else if (change.Type == ResourceTypes.Ingresses)
        {
            foreach (var ingress in new[] { change.Old, change.New }.OfType<JsonObject>())
            {
                runtime.Enqueue(this, IngressModelBuilder.StackKey(SafeGroupOf(ingress)));
            }
        }
        else if (change.Type == ResourceTypes.IngressClasses || change.Type == ResourceTypes.IngressClassParams)
        {
            // A changed IngressClassParams may move Ingresses between groups: the old and the new group both rebuild.
            foreach (var ingress in runtime.Cache(ResourceTypes.Ingresses).All())
            {
                runtime.Enqueue(this, IngressModelBuilder.StackKey(IngressGroupId.Implicit(JsonFields.Namespace(ingress) ?? "", JsonFields.Name(ingress) ?? "")));
            }
            foreach (var ingress in runtime.Cache(ResourceTypes.Ingresses).All())
            {
                runtime.Enqueue(this, IngressModelBuilder.StackKey(SafeGroupOf(ingress)));
            }
        }
        else if (change.Type == ResourceTypes.TargetGroupBindings && change.New is null && StackKeyOfBinding(change.Old!) is { } stack)
        {
            // A binding deleted by hand comes back, as the controller recreates what its model holds.
            runtime.Enqueue(this, stack);
        }
    }

    public void Reconcile(string key)
    {
        if (key.StartsWith("service/", StringComparison.Ordinal))
        {
            var (ns, name) = JsonFields.SplitKey(key["service/".Length..]);
            ReconcileService(key, ns, name);
        }
        else if (key.StartsWith("ingress/", StringComparison.Ordinal))
        {
            ReconcileIngressGroup(key);
        }
    }

    private void ReconcileService(string key, string ns, string name)
    {
        var service = runtime.Cache(ResourceTypes.Services).Get(ns, name);
        var owner = service is null ? null : ServiceModelBuilder.OwnerOf(service);
        // Being deleted (a finalizer holds it): tear the balancer down and drop the finalizer, as the real controller does.
        if (service is null || owner is null || IsDeleting(service))
        {
            CleanUp(key, service is null ? [] : [service]);
            return;
        }
        if (_records.TryGetValue(key, out var previous) && previous.Owner != owner)
        {
            CleanUp(key, [service]);
        }
        var component = owner == StackOwner.InTree ? "service-controller" : "service";
        Stack? stack;
        try
        {
            stack = ServiceModelBuilder.Build(service, owner.Value, aws);
        }
        catch (ModelBuildException e)
        {
            Warn([service], "FailedBuildModel", "Failed build model due to " + e.Message, component, owner.Value);
            return;
        }
        if (stack is null)
        {
            return; // node ports not allocated yet; the allocation is a Service change
        }
        Deploy(key, stack, [service], Fingerprint([service]), component);
    }

    private void ReconcileIngressGroup(string key)
    {
        var classes = runtime.Cache(ResourceTypes.IngressClasses).All().ToList();
        var members = new List<JsonObject>();
        IngressGroupId? group = null;
        foreach (var ingress in runtime.Cache(ResourceTypes.Ingresses).All())
        {
            if (IngressModelBuilder.StackKey(SafeGroupOf(ingress)) != key)
            {
                continue;
            }
            // The controller's Ingress event handler: an IngressClass that does not exist or a malformed group name is
            // FailedLoadGroupID, and the Ingress belongs to no group (so no load balancer is built for it).
            if (IngressModelBuilder.ClassError(ingress, classes) is { } classError)
            {
                Warn([ingress], "FailedLoadGroupID", "failed load groupID due to " + classError, "ingress", StackOwner.Controller);
                continue;
            }
            if (!IngressModelBuilder.IsOwned(ingress, classes) || IsDeleting(ingress))
            {
                continue; // not ours, or leaving: a deleting member loses the hostname and the group's finalizer below
            }
            try
            {
                group = IngressModelBuilder.GroupOf(ingress, ClassParamsOf(ingress));
                members.Add(ingress);
            }
            catch (ModelBuildException e)
            {
                Warn([ingress], "FailedLoadGroupID", "failed load groupID due to " + e.Message, "ingress", StackOwner.Controller);
            }
        }
        if (members.Count == 0 || group is null)
        {
            CleanUp(key, []);
            return;
        }
        var services = runtime.Cache(ResourceTypes.Services);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        Stack stack;
        try
        {
            stack = IngressModelBuilder.Build(group, members, (ns, name) =>
            {
                referenced.Add(ns + "/" + name);
                return services.Get(ns, name);
            }, aws, ClassParamsOf);
        }
        catch (ModelBuildException e)
        {
            Warn(members, "FailedBuildModel", "Failed build model due to " + e.Message, "ingress", StackOwner.Controller);
            return;
        }
        finally
        {
            IndexServices(key, referenced);
        }
        // The IngressClassParams count too: changing one changes the stack without touching any member.
        Deploy(key, stack, members, Fingerprint(members.Concat(referenced.Select(r => JsonFields.SplitKey(r)).Select(r => services.Get(r.Namespace, r.Name)).OfType<JsonObject>())
            .Concat(members.Select(ClassParamsOf).OfType<JsonObject>())), "ingress");
    }

    /// <summary>
    /// The creation time of the oldest owning object when it lies in the past (a balancer is made for its Service or
    /// Ingress group, so a back-dated scenario object gets a back-dated balancer; objects made now get now).
    /// </summary>
    private DateTimeOffset? OwnersCreated(IReadOnlyList<JsonObject> members)
    {
        var now = runtime.Time.GetUtcNow();
        DateTimeOffset? oldest = null;
        foreach (var member in members)
        {
            if (DateTimeOffset.TryParse(JsonFields.String(member["metadata"], "creationTimestamp"), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var created) && created < now && (oldest is null || created < oldest))
            {
                oldest = created;
            }
        }
        return oldest;
    }

    private void Deploy(string key, Stack stack, IReadOnlyList<JsonObject> members, string fingerprint, string component)
    {
        _records.TryGetValue(key, out var record);
        DeployedStack deployed;
        try
        {
            deployed = _deployer.Deploy(stack, OwnersCreated(members));
        }
        catch (AwsApiException e)
        {
            Warn(members, "FailedDeployModel", $"Failed deploy model due to {e.Code}: {e.Message}", component, stack.Owner);
            runtime.RecheckAt(this, key, runtime.Time.GetUtcNow() + _deployRetry);
            return;
        }
        var memberKeys = members.Select(m => JsonFields.Namespace(m) + "/" + JsonFields.Name(m)).ToImmutableHashSet(StringComparer.Ordinal);
        if (record is not null)
        {
            // Members that left the group lose the hostname (unless another group wrote its own meanwhile).
            foreach (var gone in record.Members.Except(memberKeys))
            {
                ClearStatus(StackKind(key), gone, record.Hostname, Finalizer(key, record.Owner));
            }
        }
        SyncBindings(key, stack, deployed);
        var loadBalancer = deployed.LoadBalancer;
        var now = runtime.Time.GetUtcNow();
        if (loadBalancer.State == LoadBalancerStateCode.Provisioning)
        {
            var due = loadBalancer.CreatedTime + provisioningDelay;
            if (now >= due)
            {
                loadBalancer = aws.SetLoadBalancerState(loadBalancer.Arn, LoadBalancerStateCode.Active);
            }
            else
            {
                runtime.RecheckAt(this, key, due);
            }
        }
        string? hostname = null;
        if (loadBalancer.State != LoadBalancerStateCode.Provisioning)
        {
            hostname = loadBalancer.DnsName;
            foreach (var member in members)
            {
                SetStatus(StackKind(key), member, hostname, Finalizer(key, stack.Owner));
            }
        }
        if (record?.Fingerprint != fingerprint || (record.Hostname is null && hostname is not null))
        {
            foreach (var member in members)
            {
                if (stack.Owner == StackOwner.InTree)
                {
                    var reason = hostname is null ? "EnsuringLoadBalancer" : "EnsuredLoadBalancer";
                    cluster.RecordEvent(member, EventTypes.Normal, reason, hostname is null ? "Ensuring load balancer" : "Ensured load balancer", component);
                }
                else if (record?.Fingerprint != fingerprint)
                {
                    cluster.RecordEvent(member, EventTypes.Normal, "SuccessfullyReconciled", "Successfully reconciled", component);
                }
            }
        }
        _records[key] = new StackRecord
        {
            Owner = stack.Owner,
            Identity = stack.Identity,
            LoadBalancerArn = loadBalancer.Arn,
            Hostname = hostname,
            Members = memberKeys,
            Fingerprint = fingerprint,
        };
        LogDeployed(key, loadBalancer.Name, loadBalancer.State.ToString());
    }

    /// <summary>Keeps the stack's TargetGroupBindings (controller) or in-memory bindings (in-tree) in line with its target groups.</summary>
    private void SyncBindings(string key, Stack stack, DeployedStack deployed)
    {
        var services = new HashSet<string>(StringComparer.Ordinal);
        if (stack.Owner == StackOwner.InTree)
        {
            var bindings = stack.TargetGroups.Select(tg => new TargetBinding
            {
                TargetGroupArn = deployed.TargetGroups[tg.ResourceId].Arn,
                Namespace = tg.Backend.Namespace,
                ServiceName = tg.Backend.ServiceName,
                ServicePort = tg.Backend.ServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                TargetType = tg.TargetType,
            }).ToList();
            state.SetInTreeBindings(key, bindings);
            services.UnionWith(bindings.Select(b => b.ServiceKey));
        }
        else
        {
            var cache = runtime.Cache(ResourceTypes.TargetGroupBindings);
            var labels = BindingLabels(key);
            var existing = cache.All().Where(b => labels.All(l => JsonFields.Labels(b).GetValueOrDefault(l.Key) == l.Value)).ToList();
            foreach (var desired in stack.TargetGroups)
            {
                var wanted = TargetBinding.ToObject(desired, deployed.TargetGroups[desired.ResourceId].Arn, aws.DefaultVpcId);
                services.Add(desired.Backend.Namespace + "/" + desired.Backend.ServiceName);
                var current = cache.Get(desired.Backend.Namespace, desired.Name);
                if (current is null)
                {
                    runtime.Create(ResourceTypes.TargetGroupBindings, wanted);
                }
                else if (!JsonNode.DeepEquals(current["spec"], wanted["spec"]) || !JsonNode.DeepEquals(current["metadata"]?["labels"], wanted["metadata"]!["labels"]))
                {
                    runtime.Mutate(ResourceTypes.TargetGroupBindings, desired.Backend.Namespace, desired.Name, b =>
                    {
                        b["spec"] = wanted["spec"]!.DeepClone();
                        b["metadata"]!["labels"] = wanted["metadata"]!["labels"]!.DeepClone();
                        b["metadata"]!["finalizers"] = wanted["metadata"]!["finalizers"]!.DeepClone();
                        return b;
                    });
                }
            }
            foreach (var stale in existing.Where(b => !stack.TargetGroups.Any(tg => tg.Name == JsonFields.Name(b) && tg.Backend.Namespace == JsonFields.Namespace(b))))
            {
                runtime.Delete(ResourceTypes.TargetGroupBindings, JsonFields.Namespace(stale), JsonFields.Name(stale)!);
            }
        }
        if (Registrar is { } registrar)
        {
            foreach (var service in services)
            {
                runtime.Enqueue(registrar, service);
            }
        }
    }

    private static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    private static ResourceType StackKind(string key) => key.StartsWith("service/", StringComparison.Ordinal) ? ResourceTypes.Services : ResourceTypes.Ingresses;

    private static string Finalizer(string key, StackOwner owner) => key switch
    {
        _ when owner == StackOwner.InTree => "service.kubernetes.io/load-balancer-cleanup",
        _ when key.StartsWith("service/", StringComparison.Ordinal) => "service.k8s.aws/resources",
        _ when key.Count(c => c == '/') == 1 => "group.ingress.k8s.aws/" + key["ingress/".Length..],
        _ => "ingress.k8s.aws/resources",
    };

    /// <summary>The labels every TargetGroupBinding of a stack carries.</summary>
    internal static ImmutableDictionary<string, string> BindingLabels(string key)
    {
        if (key.StartsWith("service/", StringComparison.Ordinal))
        {
            var (ns, name) = JsonFields.SplitKey(key["service/".Length..]);
            return ImmutableDictionary<string, string>.Empty.Add("service.k8s.aws/stack-namespace", ns).Add("service.k8s.aws/stack-name", name);
        }
        var group = key["ingress/".Length..];
        if (!group.Contains('/', StringComparison.Ordinal))
        {
            return ImmutableDictionary<string, string>.Empty.Add("ingress.k8s.aws/stack", group);
        }
        var (groupNs, groupName) = JsonFields.SplitKey(group);
        return ImmutableDictionary<string, string>.Empty.Add("ingress.k8s.aws/stack-namespace", groupNs).Add("ingress.k8s.aws/stack-name", groupName);
    }

    private static string? StackKeyOfBinding(JsonObject binding)
    {
        var labels = JsonFields.Labels(binding);
        if (labels.TryGetValue("service.k8s.aws/stack-namespace", out var ns) && labels.TryGetValue("service.k8s.aws/stack-name", out var name))
        {
            return ServiceModelBuilder.StackKey(ns, name);
        }
        if (labels.TryGetValue("ingress.k8s.aws/stack", out var group))
        {
            return IngressModelBuilder.StackKey(IngressGroupId.Explicit(group));
        }
        return labels.TryGetValue("ingress.k8s.aws/stack-namespace", out var ingNs) && labels.TryGetValue("ingress.k8s.aws/stack-name", out var ingName)
            ? IngressModelBuilder.StackKey(IngressGroupId.Implicit(ingNs, ingName))
            : null;
    }

    private JsonObject? ClassParamsOf(JsonObject ingress) =>
        IngressModelBuilder.ClassParamsOf(ingress, runtime.Cache(ResourceTypes.IngressClasses).All(), name => runtime.Cache(ResourceTypes.IngressClassParams).Get(null, name));

    private IngressGroupId SafeGroupOf(JsonObject ingress)
    {
        try
        {
            return IngressModelBuilder.GroupOf(ingress, ClassParamsOf(ingress));
        }
        catch (ModelBuildException)
        {
            return IngressGroupId.Implicit(JsonFields.Namespace(ingress) ?? "", JsonFields.Name(ingress) ?? "");
        }
    }

    /// <summary>What a reconcile depends on: uid, spec and annotations of every input object.</summary>
    private static string Fingerprint(IEnumerable<JsonObject> objects) =>
        string.Join('\n', objects.Select(o => JsonFields.Uid(o) + (o["spec"]?.ToJsonString() ?? "") + (o["metadata"]?["annotations"]?.ToJsonString() ?? "")));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Load balancer stack {Stack} deployed: {Name} is {State}")]
    private partial void LogDeployed(string stack, string name, string state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Load balancer stack {Stack} deleted")]
    private partial void LogDeleted(string stack);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Reason} for {Objects}: {Message}")]
    private partial void LogFailed(string reason, string objects, string message);
}
