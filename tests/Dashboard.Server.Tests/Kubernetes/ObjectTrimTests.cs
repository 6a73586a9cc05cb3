using Dashboard.Server.Kubernetes;
using k8s;
using k8s.Models;

namespace Dashboard.Server.Tests.Kubernetes;

public class ObjectTrimTests
{
    /// <summary>A pod as a real API server sends it (JSON through KubernetesClient), with what the caches drop and keep.</summary>
    private static V1Pod Pod(string name) => KubernetesJson.Deserialize<V1Pod>($$"""
        {
          "apiVersion": "v1", "kind": "Pod",
          "metadata": {
            "name": "{{name}}", "namespace": "mlops", "uid": "uid-{{name}}", "resourceVersion": "7",
            "labels": { "app": "retail-forecast-api", "pod-template-hash": "5c84b47f78" },
            "annotations": { "sandbox.endpoint-dashboard.dev/health": "ok" },
            "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "retail-forecast-api-5c84b47f78", "uid": "rs-1", "controller": true } ],
            "managedFields": [ { "manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": { "f:metadata": {} } } ]
          },
          "spec": {
            "nodeName": "ip-192-168-28-163.ec2.internal",
            "readinessGates": [ { "conditionType": "target-health.elbv2.k8s.aws/k8s-mlops-retail-abc" } ],
            "volumes": [ { "name": "kube-api-access", "projected": { "sources": [] } } ],
            "tolerations": [ { "key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300 } ],
            "securityContext": { "runAsNonRoot": true },
            "containers": [ {
              "name": "app", "image": "public.ecr.aws/nginx/nginx:1.27",
              "ports": [ { "name": "http", "containerPort": 8080, "protocol": "TCP" } ],
              "readinessProbe": { "httpGet": { "path": "/healthz", "port": "http" } },
              "env": [ { "name": "MODEL", "value": "v3" } ],
              "volumeMounts": [ { "name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount" } ],
              "resources": { "requests": { "cpu": "100m" } },
              "command": [ "/bin/serve" ]
            } ]
          },
          "status": {
            "phase": "Running", "podIP": "192.168.2.28", "podIPs": [ { "ip": "192.168.2.28" } ], "hostIP": "192.168.28.163",
            "conditions": [ { "type": "Ready", "status": "True" }, { "type": "target-health.elbv2.k8s.aws/k8s-mlops-retail-abc", "status": "True" } ],
            "containerStatuses": [ { "name": "app", "image": "public.ecr.aws/nginx/nginx:1.27", "imageID": "sha256:1", "ready": true, "restartCount": 2, "state": { "running": {} } } ]
          }
        }
        """);

    [Fact]
    public void A_pod_keeps_what_the_pages_and_topology_read_and_drops_the_rest()
    {
        var pod = ObjectTrim.Apply(Pod("retail-forecast-api-1"), new StringPool());

        Assert.Null(pod.Metadata.ManagedFields);
        Assert.Null(pod.Spec.Volumes);
        Assert.Null(pod.Spec.Tolerations);
        Assert.Null(pod.Spec.SecurityContext);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Null(container.Env);
        Assert.Null(container.VolumeMounts);
        Assert.Null(container.Resources);
        Assert.Null(container.Command);

        Assert.Equal(("mlops", "retail-forecast-api", "ok"), (pod.Metadata.NamespaceProperty, pod.Metadata.Labels["app"],
            pod.Metadata.Annotations["sandbox.endpoint-dashboard.dev/health"]));
        Assert.Equal("ReplicaSet", Assert.Single(pod.Metadata.OwnerReferences).Kind);
        Assert.Equal("ip-192-168-28-163.ec2.internal", pod.Spec.NodeName);
        Assert.Equal("target-health.elbv2.k8s.aws/k8s-mlops-retail-abc", Assert.Single(pod.Spec.ReadinessGates).ConditionType);
        Assert.Equal(("app", "public.ecr.aws/nginx/nginx:1.27", 8080, "/healthz"),
            (container.Name, container.Image, Assert.Single(container.Ports).ContainerPort, container.ReadinessProbe.HttpGet.Path));
        Assert.Equal(("Running", "192.168.2.28", 2), (pod.Status.Phase, Assert.Single(pod.Status.PodIPs).Ip, Assert.Single(pod.Status.ContainerStatuses).RestartCount));
        Assert.Equal(["Ready", "target-health.elbv2.k8s.aws/k8s-mlops-retail-abc"], pod.Status.Conditions.Select(c => c.Type));
    }

    [Fact]
    public void Repeated_strings_of_different_objects_become_one_string()
    {
        var pool = new StringPool();
        var first = ObjectTrim.Apply(Pod("retail-forecast-api-1"), pool);
        var second = ObjectTrim.Apply(Pod("retail-forecast-api-2"), pool);

        Assert.NotSame(Pod("a").Metadata.NamespaceProperty, Pod("b").Metadata.NamespaceProperty);
        Assert.Same(first.Metadata.NamespaceProperty, second.Metadata.NamespaceProperty);
        Assert.Same(first.Metadata.Labels["app"], second.Metadata.Labels["app"]);
        Assert.Same(first.Metadata.Labels.Keys.First(), second.Metadata.Labels.Keys.First());
        Assert.Same(first.Spec.NodeName, second.Spec.NodeName);
        Assert.Same(first.Status.Conditions[0].Type, second.Status.Conditions[0].Type);
        // Names are unique per object and are not pooled.
        Assert.Equal("retail-forecast-api-2", second.Metadata.Name);
    }

    [Fact]
    public void The_pool_stops_growing_at_its_capacity_and_passes_new_strings_through()
    {
        var pool = new StringPool(capacity: 2);
        pool.Share("a");
        pool.Share("b");

        var third = new string('c', 1);
        Assert.Same(third, pool.Share(third));
        Assert.Equal(2, pool.Count);
        Assert.Same(pool.Share("a"), pool.Share(new string('a', 1)));
    }

    [Fact]
    public void Every_kind_loses_its_managed_fields()
    {
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "api", NamespaceProperty = "mlops", ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl" }] },
            Spec = new V1ServiceSpec { Type = "LoadBalancer", Selector = new Dictionary<string, string> { ["app"] = "api" } },
        };

        ObjectTrim.Apply(service, new StringPool());

        Assert.Null(service.Metadata.ManagedFields);
        Assert.Equal("api", service.Spec.Selector["app"]);
    }
}
