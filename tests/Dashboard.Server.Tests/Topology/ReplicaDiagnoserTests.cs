using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.Topology;
using Microsoft.Extensions.Time.Testing;
using k8s.Models;

namespace Dashboard.Server.Tests.Topology;

/// <summary>The pure parts behind the Deployment-replica card, the preceding-change history and incident-bound evidence.</summary>
public sealed class ReplicaDiagnoserTests
{
    private static readonly ObjectRef Endpoint = new(ObjectKind.Service, "mlops", "api");

    private static V1Deployment Deployment(int replicas, int updated, params V1DeploymentCondition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "api", NamespaceProperty = "mlops", Uid = "uid-deploy", Generation = 2 },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } },
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "api" } } },
        },
        Status = new V1DeploymentStatus { ObservedGeneration = 2, UpdatedReplicas = updated, Conditions = [.. conditions] },
    };

    private static V1Pod Owned(V1Pod pod, string hash)
    {
        pod.Metadata.Labels["pod-template-hash"] = hash;
        pod.Metadata.OwnerReferences = [new V1OwnerReference { Kind = "ReplicaSet", Name = $"api-{hash}", Controller = true, ApiVersion = "apps/v1", Uid = hash }];
        pod.Metadata.CreationTimestamp = K8s.Now.AddHours(-1).UtcDateTime;
        return pod;
    }

    [Fact]
    public void A_rollout_whose_new_pod_crash_loops_is_degraded_and_its_fix_is_a_rollback()
    {
        var pods = new[]
        {
            Owned(K8s.Pod("mlops", "api-old-1", "10.0.1.1"), "old"),
            Owned(K8s.Pod("mlops", "api-old-2", "10.0.1.2"), "old"),
            Owned(K8s.Pod("mlops", "api-new-1", "10.0.1.3", ready: false, crashLooping: true, restarts: 4), "new"),
        };
        var deployment = Deployment(3, updated: 1);
        Assert.All(pods, p => Assert.True(ReplicaDiagnoser.Owns(deployment, p)));

        var result = ReplicaDiagnoser.Below(K8s.Context(), Endpoint, deployment, pods)!;

        Assert.Equal(TriageSeverity.Degraded, result.Severity);
        Assert.Equal("2 of 3 desired replicas serve Service mlops/api", result.Diagnosis.Title);
        Assert.Contains("not serving: 1 crash-looping", result.Diagnosis.Evidence);
        Assert.Contains("a rollout is in progress: 1 of 3 pods updated (maxSurge 25%, maxUnavailable 25%)", result.Diagnosis.Evidence);
        Assert.Equal("kubectl -n mlops rollout undo deployment/api", result.Diagnosis.FixCommand);
    }

    [Fact]
    public void Pods_never_created_are_lost_capacity_with_the_deployments_replica_failure_quoted()
    {
        var pods = new[] { Owned(K8s.Pod("mlops", "api-1", "10.0.1.1"), "abc"), Owned(K8s.Pod("mlops", "api-2", "10.0.1.2"), "abc") };
        var failure = new V1DeploymentCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate", Message = "pods \"api-abc-x\" is forbidden: exceeded quota: compute" };

        var result = ReplicaDiagnoser.Below(K8s.Context(), Endpoint, Deployment(3, updated: 3, failure), pods)!;

        Assert.Equal(TriageSeverity.Degraded, result.Severity);
        Assert.Contains("Deployment mlops/api wants 3 replicas: 2 ready of 2 pods", result.Diagnosis.Evidence);
        Assert.Contains("not serving: 1 not created", result.Diagnosis.Evidence);
        Assert.Contains(result.Diagnosis.Evidence, e => e.Contains("exceeded quota", StringComparison.Ordinal));
        Assert.Null(result.Diagnosis.FixCommand);
        Assert.Null(ReplicaDiagnoser.Below(K8s.Context(), Endpoint, Deployment(2, updated: 2), pods));
    }

    [Fact]
    public void A_scale_up_whose_new_pods_are_starting_is_a_notice_not_an_incident()
    {
        var starting = Owned(K8s.Pod("mlops", "api-3", "10.0.1.3", ready: false), "abc");
        starting.Metadata.CreationTimestamp = K8s.Now.AddSeconds(-20).UtcDateTime;
        var pods = new[] { Owned(K8s.Pod("mlops", "api-1", "10.0.1.1"), "abc"), Owned(K8s.Pod("mlops", "api-2", "10.0.1.2"), "abc"), starting };

        var result = ReplicaDiagnoser.Below(K8s.Context(), Endpoint, Deployment(3, updated: 3), pods)!;

        Assert.Equal(TriageSeverity.Notice, result.Severity);
        Assert.Contains("not serving: 1 starting", result.Diagnosis.Evidence);
    }

    [Fact]
    public void Evidence_is_limited_to_the_current_incident_an_event_older_than_the_state_is_not_quoted()
    {
        var pod = K8s.Pod("mlops", "api-1", "10.0.1.1", ready: false);
        var start = K8s.Now.AddMinutes(-2);
        var k8s = KubernetesIndex.From(new KubernetesSnapshot
        {
            Pods = [pod],
            Events =
            [
                K8s.Event("Pod", "mlops", "api-1", "Warning", "Unhealthy", "Readiness probe failed: statuscode: 503 (yesterday)", at: K8s.Now.AddHours(-20)),
                K8s.Event("Pod", "mlops", "api-1", "Warning", "Unhealthy", "Readiness probe failed: statuscode: 500 (now)", at: K8s.Now.AddMinutes(-1)),
            ],
        });
        var evidence = new List<string>();

        CapacityDiagnoser.AddProbeEvents(k8s, pod, evidence, start);

        Assert.Equal(["pod event Unhealthy: Readiness probe failed: statuscode: 500 (now)"], evidence);
    }

    [Fact]
    public void The_change_history_keeps_annotation_edits_by_short_name_bounded_per_object_and_forgets_deleted_objects()
    {
        var time = new FakeTimeProvider(K8s.Now);
        var index = new ClusterIndex(time);
        V1Service Service(string path) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = "api", NamespaceProperty = "mlops", Uid = "uid-svc",
                Annotations = new Dictionary<string, string> { ["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"] = path },
            },
            Spec = new V1ServiceSpec { Type = "LoadBalancer", Selector = new Dictionary<string, string> { ["app"] = "api" } },
        };
        var previous = Service("/p0");
        index.ApplyServices([new ResourceChange<V1Service>(ResourceChangeKind.Upsert, previous, null)]);
        for (var i = 1; i <= ObjectChangeHistory.MaxPerObject + 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            var next = Service($"/p{i}");
            index.ApplyServices([new ResourceChange<V1Service>(ResourceChangeKind.Upsert, next, previous)]);
            previous = next;
        }

        var changes = index.History.Snapshot[ObjectChangeHistory.Key("Service", "mlops", "api")];
        Assert.Equal(ObjectChangeHistory.MaxPerObject, changes.Length);
        var last = changes[^1];
        Assert.Equal((PrecedingChangeKind.Annotation, "healthcheck-path", "/p24", "/p25", time.GetUtcNow()), (last.Kind, last.Field, last.From, last.To, last.At));

        index.ApplyServices([new ResourceChange<V1Service>(ResourceChangeKind.Delete, previous, null)]);
        Assert.False(index.History.Snapshot.ContainsKey(ObjectChangeHistory.Key("Service", "mlops", "api")));
    }
}
