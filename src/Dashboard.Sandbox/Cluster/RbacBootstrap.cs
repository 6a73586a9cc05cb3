using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Kubernetes.Api.Rbac;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// The RBAC objects of a fresh cluster that matter here (the API server's bootstrap policy, shortened): ClusterRoles
/// <c>cluster-admin</c>, <c>edit</c>, <c>view</c>, <c>system:discovery</c> and <c>system:basic-user</c> with their bindings
/// to <c>system:masters</c> and <c>system:authenticated</c>, plus the bindings of the sandbox's limited users
/// (<see cref="SandboxUsers"/>). <c>view</c> and <c>edit</c> list the kinds the sandbox serves (no Secrets, no RBAC objects;
/// <c>view</c> has no cluster-scoped kinds such as nodes or ingressclasses, as on a real cluster).
/// </summary>
internal static class RbacBootstrap
{
    private const string RbacGroup = "rbac.authorization.k8s.io";
    private static readonly string[] _read = ["get", "list", "watch"];
    private static readonly string[] _write = ["create", "delete", "deletecollection", "patch", "update"];

    private static readonly (string Group, string[] Resources)[] _namespaced =
    [
        ("", ["pods", "pods/log", "pods/status", "services", "services/status", "endpoints", "configmaps", "events", "serviceaccounts"]),
        ("apps", ["deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status"]),
        ("networking.k8s.io", ["ingresses", "ingresses/status"]),
        ("discovery.k8s.io", ["endpointslices"]),
        ("coordination.k8s.io", ["leases"]),
        ("elbv2.k8s.aws", ["targetgroupbindings"]),
    ];

    public static void Load(ResourceStore store, DateTimeOffset? createdAt)
    {
        JsonObject Rule(IEnumerable<string> verbs, string group, IEnumerable<string> resources) => new()
        {
            ["verbs"] = Array(verbs),
            ["apiGroups"] = Array([group]),
            ["resources"] = Array(resources),
        };
        var view = _namespaced.Select(r => Rule(_read, r.Group, r.Resources)).Append(Rule(_read, "", ["namespaces", "namespaces/status"])).ToList();
        var edit = view.Concat(_namespaced.Select(r => Rule(_write, r.Group, r.Resources.Where(x => !x.EndsWith("/status", StringComparison.Ordinal) && x != "pods/log")))).ToList();
        ClusterRole(store, "cluster-admin", createdAt,
            new JsonObject { ["verbs"] = Array(["*"]), ["apiGroups"] = Array(["*"]), ["resources"] = Array(["*"]) },
            new JsonObject { ["verbs"] = Array(["*"]), ["nonResourceURLs"] = Array(["*"]) });
        ClusterRole(store, "view", createdAt, [.. view]);
        ClusterRole(store, "edit", createdAt, [.. edit]);
        ClusterRole(store, "system:discovery", createdAt, new JsonObject
        {
            ["verbs"] = Array(["get"]),
            ["nonResourceURLs"] = Array(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]),
        });
        ClusterRole(store, "system:basic-user", createdAt,
            Rule(["create"], "authentication.k8s.io", ["selfsubjectreviews"]),
            Rule(["create"], "authorization.k8s.io", ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]));
        ClusterRoleBinding(store, "cluster-admin", "cluster-admin", "Group", RbacAuthorizer.MastersGroup, createdAt);
        ClusterRoleBinding(store, "system:discovery", "system:discovery", "Group", "system:authenticated", createdAt);
        ClusterRoleBinding(store, "system:basic-user", "system:basic-user", "Group", "system:authenticated", createdAt);
        ClusterRoleBinding(store, "sandbox-viewer", "view", "User", SandboxUsers.Viewer.Name, createdAt);
        foreach (var ns in SandboxUsers.OperatorNamespaces.Where(n => store.Get(ResourceTypes.Namespaces, null, n) is not null))
        {
            Create(store, ResourceTypes.RoleBindings, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = "sandbox-operator", ["namespace"] = ns },
                ["roleRef"] = new JsonObject { ["apiGroup"] = RbacGroup, ["kind"] = "ClusterRole", ["name"] = "edit" },
                ["subjects"] = new JsonArray(Subject("User", SandboxUsers.Operator.Name)),
            }, createdAt);
        }
    }

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static JsonObject Subject(string kind, string name) => new() { ["apiGroup"] = RbacGroup, ["kind"] = kind, ["name"] = name };

    private static void ClusterRole(ResourceStore store, string name, DateTimeOffset? createdAt, params JsonObject[] rules) =>
        Create(store, ResourceTypes.ClusterRoles, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
                ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
            },
            ["rules"] = new JsonArray([.. rules.Select(r => r.DeepClone())]),
        }, createdAt);

    private static void ClusterRoleBinding(ResourceStore store, string name, string role, string kind, string subject, DateTimeOffset? createdAt) =>
        Create(store, ResourceTypes.ClusterRoleBindings, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["roleRef"] = new JsonObject { ["apiGroup"] = RbacGroup, ["kind"] = "ClusterRole", ["name"] = role },
            ["subjects"] = new JsonArray(Subject(kind, subject)),
        }, createdAt);

    private static void Create(ResourceStore store, ResourceType type, JsonObject obj, DateTimeOffset? createdAt)
    {
        try
        {
            store.Create(type, JsonFields.Namespace(obj), obj, createdAt: createdAt);
        }
        catch (StoreException e) when (e.Code == HttpStatusCode.Conflict)
        {
            // Already present (a store shared with an earlier simulation): keep it.
        }
    }
}
