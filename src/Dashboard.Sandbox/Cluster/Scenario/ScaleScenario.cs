using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster.Scenario;

/// <summary>
/// Synthetic bulk for benchmarks and scale tests (<see cref="SandboxScaleOptions"/>): namespaces
/// <c>synthetic-NNNN</c>, one Deployment + Service per service index (every 20th an internal NLB through
/// loadBalancerClass, the rest ClusterIP), and alb Ingresses in groups of five per ALB. Everything, including
/// the pods, EndpointSlices, Endpoints and Deployment status the controllers would write, is created directly
/// in the store with the controllers' own builders, so the controllers find nothing to do and no per-object
/// Events are written.
/// </summary>
internal static class ScaleScenario
{
    public const string NamespacePrefix = "synthetic-";

    public static void Load(ResourceStore store, SandboxOptions options, IReadOnlyList<SimulatedNode> nodes, ServiceAddressSpace addresses, TimeProvider time)
    {
        var scale = options.Scale;
        Validate(scale);
        if (scale.Services == 0 && scale.Namespaces == 0)
        {
            return;
        }
        var namespaceCount = scale.Namespaces > 0 ? scale.Namespaces : Math.Max(1, (scale.Services + 99) / 100);
        var now = time.GetUtcNow();
        var stamp = ResourceStore.Timestamp(now);
        for (var n = 0; n < namespaceCount; n++)
        {
            store.Create(ResourceTypes.Namespaces, null, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = NamespaceName(n),
                    ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = NamespaceName(n), ["sandbox.endpoint-dashboard.dev/synthetic"] = "true" },
                },
                ["status"] = new JsonObject { ["phase"] = "Active" },
            });
        }

        var usedIps = new HashSet<string>(StringComparer.Ordinal);
        var zoneByNode = nodes.ToDictionary(n => n.Name, n => n.Zone, StringComparer.Ordinal);
        for (var i = 0; i < scale.Services; i++)
        {
            var ns = NamespaceName(i % namespaceCount);
            var name = ServiceName(i);
            // Created with the ReplicaSet, revision and statuses the deployment and ReplicaSet controllers would write, in one step.
            var body = Deployment(ns, name, scale.PodsPerService);
            Kubernetes.Api.ObjectDefaults.DefaultDeployment(body);
            var ready = PodBuilder.ExpectReady(body) ? scale.PodsPerService : 0;
            body["metadata"]!["annotations"] = new JsonObject { [DeploymentController.RevisionAnnotation] = "1" };
            var deployment = store.Create(ResourceTypes.Deployments, ns, body);
            var rsBody = DeploymentController.NewReplicaSet(deployment, scale.PodsPerService, 1);
            rsBody["status"] = ReplicaSetController.BuildStatus(rsBody, scale.PodsPerService, ready);
            var replicaSet = store.Create(ResourceTypes.ReplicaSets, ns, rsBody);
            var counts = new DeploymentController.ReplicaCounts(scale.PodsPerService, scale.PodsPerService, scale.PodsPerService, ready, ready);
            store.Mutate(ResourceTypes.Deployments, ns, name, d =>
            {
                d["status"] = DeploymentController.BuildStatus(d, JsonFields.Name(replicaSet), counts, createdNew: false, stamp);
                return d;
            }, statusOnly: true);
            var pods = new List<JsonObject>(scale.PodsPerService);
            for (var ordinal = 0; ordinal < scale.PodsPerService; ordinal++)
            {
                var podName = PodBuilder.PodName(options.Seed, replicaSet, ordinal);
                var node = nodes[(i + ordinal) % nodes.Count];
                var ip = PodBuilder.AllocateIp(node, options.Seed, JsonFields.Key(ns, podName), usedIps.Contains);
                usedIps.Add(ip);
                pods.Add(store.Create(ResourceTypes.Pods, ns, PodBuilder.Build(replicaSet, podName, node, ip, options.Seed, now)));
            }

            var serviceBody = Service(ns, name, loadBalancer: i % 20 == 19);
            ServiceDefaults.Apply(serviceBody, addresses);
            var service = store.Create(ResourceTypes.Services, ns, serviceBody);
            var attempt = 0;
            foreach (var slice in EndpointsBuilder.Slices(service, pods, zoneByNode))
            {
                slice["metadata"]!["name"] = EndpointsBuilder.SliceName(options.Seed, service, attempt++);
                store.Create(ResourceTypes.EndpointSlices, ns, slice);
            }
            store.Create(ResourceTypes.Endpoints, ns, EndpointsBuilder.Endpoints(service, pods));
        }

        for (var j = 0; j < scale.Ingresses; j++)
        {
            var target = j % scale.Services;
            store.Create(ResourceTypes.Ingresses, NamespaceName(target % namespaceCount), Ingress(NamespaceName(target % namespaceCount), j, ServiceName(target)));
        }
    }

    private static void Validate(SandboxScaleOptions scale)
    {
        var errors = new List<string>();
        if (scale.Namespaces < 0)
        {
            errors.Add("Sandbox:Scale:Namespaces must be 0 or more.");
        }
        if (scale.Services < 0)
        {
            errors.Add("Sandbox:Scale:Services must be 0 or more.");
        }
        if (scale.Ingresses < 0)
        {
            errors.Add("Sandbox:Scale:Ingresses must be 0 or more.");
        }
        if (scale.Ingresses > 0 && scale.Services == 0)
        {
            errors.Add("Sandbox:Scale:Ingresses needs Sandbox:Scale:Services > 0 (each Ingress routes to a synthetic Service).");
        }
        if (scale.PodsPerService is < 0 or > 100)
        {
            errors.Add("Sandbox:Scale:PodsPerService must be between 0 and 100.");
        }
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }
    }

    public static string NamespaceName(int index) => NamespacePrefix + index.ToString("D4", CultureInfo.InvariantCulture);

    public static string ServiceName(int index) => "svc-" + index.ToString("D5", CultureInfo.InvariantCulture);

    private static JsonObject Deployment(string ns, string name, int replicas) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = name } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray
                    {
                        new JsonObject
                        {
                            ["name"] = "app",
                            ["image"] = "public.ecr.aws/nginx/nginx:1.27",
                            ["ports"] = new JsonArray { new JsonObject { ["name"] = "http", ["containerPort"] = 8080, ["protocol"] = "TCP" } },
                            ["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = "http" } },
                        },
                    },
                },
            },
        },
    };

    private static JsonObject Service(string ns, string name, bool loadBalancer)
    {
        var service = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = name } },
            ["spec"] = new JsonObject
            {
                ["ports"] = new JsonArray { new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = "http" } },
                ["selector"] = new JsonObject { ["app"] = name },
            },
        };
        if (loadBalancer)
        {
            service["metadata"]!["annotations"] = new JsonObject
            {
                ["service.beta.kubernetes.io/aws-load-balancer-scheme"] = "internal",
                ["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] = "ip",
            };
            service["spec"]!["type"] = "LoadBalancer";
            service["spec"]!["loadBalancerClass"] = "service.k8s.aws/nlb";
        }
        return service;
    }

    private static JsonObject Ingress(string ns, int index, string service) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = "ing-" + index.ToString("D5", CultureInfo.InvariantCulture),
            ["namespace"] = ns,
            ["annotations"] = new JsonObject
            {
                ["alb.ingress.kubernetes.io/scheme"] = "internet-facing",
                ["alb.ingress.kubernetes.io/target-type"] = "ip",
                ["alb.ingress.kubernetes.io/group.name"] = "synthetic-" + (index / 5).ToString("D4", CultureInfo.InvariantCulture),
                ["alb.ingress.kubernetes.io/group.order"] = ((index % 5) + 1).ToString(CultureInfo.InvariantCulture),
            },
        },
        ["spec"] = new JsonObject
        {
            ["ingressClassName"] = "alb",
            ["rules"] = new JsonArray
            {
                new JsonObject
                {
                    ["host"] = $"{service}.synthetic.example.com",
                    ["http"] = new JsonObject
                    {
                        ["paths"] = new JsonArray
                        {
                            new JsonObject
                            {
                                ["path"] = "/",
                                ["pathType"] = "Prefix",
                                ["backend"] = new JsonObject
                                {
                                    ["service"] = new JsonObject { ["name"] = service, ["port"] = new JsonObject { ["number"] = 80 } },
                                },
                            },
                        },
                    },
                },
            },
        },
    };
}
