namespace Dashboard.Sandbox.Kubernetes;

/// <summary>One kind the emulated API server serves, described as discovery describes it.</summary>
public sealed record ResourceType
{
    /// <summary>API group; empty for the core group.</summary>
    public required string Group { get; init; }
    public required string Version { get; init; }
    /// <summary>Lower-case plural used in URLs, e.g. <c>services</c>.</summary>
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>True when the kind has a <c>/status</c> subresource.</summary>
    public bool HasStatus { get; init; }
    /// <summary>True when the kind's registry keeps <c>metadata.generation</c> (1 on create, +1 on each spec change); Pods, Services and most core kinds do not.</summary>
    public bool HasGeneration { get; init; }
    /// <summary>True when the kind has a <c>/scale</c> subresource (an <c>autoscaling/v1 Scale</c> view of its replicas).</summary>
    public bool HasScale { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    public string GroupVersion => ApiVersion;
    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}

/// <summary>The kinds the sandbox serves.</summary>
public static class ResourceTypes
{
    public static readonly ResourceType Namespaces = new() { Group = "", Version = "v1", Plural = "namespaces", Singular = "namespace", Kind = "Namespace", Namespaced = false, ShortNames = ["ns"], HasStatus = true };
    public static readonly ResourceType Services = new() { Group = "", Version = "v1", Plural = "services", Singular = "service", Kind = "Service", Namespaced = true, ShortNames = ["svc"], Categories = ["all"], HasStatus = true };
    public static readonly ResourceType Endpoints = new() { Group = "", Version = "v1", Plural = "endpoints", Singular = "endpoints", Kind = "Endpoints", Namespaced = true, ShortNames = ["ep"] };
    public static readonly ResourceType Pods = new() { Group = "", Version = "v1", Plural = "pods", Singular = "pod", Kind = "Pod", Namespaced = true, ShortNames = ["po"], Categories = ["all"], HasStatus = true };
    public static readonly ResourceType Nodes = new() { Group = "", Version = "v1", Plural = "nodes", Singular = "node", Kind = "Node", Namespaced = false, ShortNames = ["no"], HasStatus = true };
    public static readonly ResourceType Events = new() { Group = "", Version = "v1", Plural = "events", Singular = "event", Kind = "Event", Namespaced = true, ShortNames = ["ev"] };
    public static readonly ResourceType ConfigMaps = new() { Group = "", Version = "v1", Plural = "configmaps", Singular = "configmap", Kind = "ConfigMap", Namespaced = true, ShortNames = ["cm"] };
    public static readonly ResourceType ServiceAccounts = new() { Group = "", Version = "v1", Plural = "serviceaccounts", Singular = "serviceaccount", Kind = "ServiceAccount", Namespaced = true, ShortNames = ["sa"] };
    public static readonly ResourceType Deployments = new() { Group = "apps", Version = "v1", Plural = "deployments", Singular = "deployment", Kind = "Deployment", Namespaced = true, ShortNames = ["deploy"], Categories = ["all"], HasStatus = true, HasScale = true, HasGeneration = true };
    public static readonly ResourceType ReplicaSets = new() { Group = "apps", Version = "v1", Plural = "replicasets", Singular = "replicaset", Kind = "ReplicaSet", Namespaced = true, ShortNames = ["rs"], Categories = ["all"], HasStatus = true, HasScale = true, HasGeneration = true };
    public static readonly ResourceType EndpointSlices = new() { Group = "discovery.k8s.io", Version = "v1", Plural = "endpointslices", Singular = "endpointslice", Kind = "EndpointSlice", Namespaced = true, HasGeneration = true };
    public static readonly ResourceType Ingresses = new() { Group = "networking.k8s.io", Version = "v1", Plural = "ingresses", Singular = "ingress", Kind = "Ingress", Namespaced = true, ShortNames = ["ing"], HasStatus = true, HasGeneration = true };
    public static readonly ResourceType IngressClasses = new() { Group = "networking.k8s.io", Version = "v1", Plural = "ingressclasses", Singular = "ingressclass", Kind = "IngressClass", Namespaced = false, HasGeneration = true };
    public static readonly ResourceType Leases = new() { Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Singular = "lease", Kind = "Lease", Namespaced = true };
    public static readonly ResourceType Roles = new() { Group = "rbac.authorization.k8s.io", Version = "v1", Plural = "roles", Singular = "role", Kind = "Role", Namespaced = true };
    public static readonly ResourceType ClusterRoles = new() { Group = "rbac.authorization.k8s.io", Version = "v1", Plural = "clusterroles", Singular = "clusterrole", Kind = "ClusterRole", Namespaced = false };
    public static readonly ResourceType RoleBindings = new() { Group = "rbac.authorization.k8s.io", Version = "v1", Plural = "rolebindings", Singular = "rolebinding", Kind = "RoleBinding", Namespaced = true };
    public static readonly ResourceType ClusterRoleBindings = new() { Group = "rbac.authorization.k8s.io", Version = "v1", Plural = "clusterrolebindings", Singular = "clusterrolebinding", Kind = "ClusterRoleBinding", Namespaced = false };
    /// <summary>Served for the dashboard's own manifests (deploy/base/pdb.yaml); the sandbox stores them, it evicts nothing.</summary>
    public static readonly ResourceType PodDisruptionBudgets = new() { Group = "policy", Version = "v1", Plural = "poddisruptionbudgets", Singular = "poddisruptionbudget", Kind = "PodDisruptionBudget", Namespaced = true, ShortNames = ["pdb"], HasStatus = true, HasGeneration = true };
    public static readonly ResourceType TargetGroupBindings = new() { Group = "elbv2.k8s.aws", Version = "v1beta1", Plural = "targetgroupbindings", Singular = "targetgroupbinding", Kind = "TargetGroupBinding", Namespaced = true, HasStatus = true, HasGeneration = true };

    /// <summary>The AWS Load Balancer Controller's cluster-wide Ingress settings, named by an IngressClass's <c>spec.parameters</c>.</summary>
    public static readonly ResourceType IngressClassParams = new() { Group = "elbv2.k8s.aws", Version = "v1beta1", Plural = "ingressclassparams", Singular = "ingressclassparams", Kind = "IngressClassParams", Namespaced = false };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces, Services, Endpoints, Pods, Nodes, Events, ConfigMaps, ServiceAccounts,
        Deployments, ReplicaSets, EndpointSlices, Ingresses, IngressClasses, Leases, Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, TargetGroupBindings, PodDisruptionBudgets,
        IngressClassParams,
    ];

    public static ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    public static ResourceType? FindByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);
}
