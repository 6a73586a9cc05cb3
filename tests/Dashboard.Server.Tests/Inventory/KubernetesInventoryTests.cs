using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.Topology;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.Inventory;

public class KubernetesInventoryTests
{
    private readonly ClusterIndex _index = new();
    private readonly KubernetesInventory _inventory;

    public KubernetesInventoryTests() => _inventory = new KubernetesInventory(_index, new FakeTimeProvider());

    private static IReadOnlyList<ResourceChange<T>> Upsert<T>(params T[] items) where T : class =>
        [.. items.Select(i => new ResourceChange<T>(ResourceChangeKind.Upsert, i, null))];

    private static V1Service Service(string name, string app, Dictionary<string, string>? annotations = null)
    {
        var service = ServiceDecoderTests.LoadBalancer(annotations ?? []);
        service.Metadata.Name = name;
        service.Metadata.Uid = "uid-" + name;
        service.Spec.Selector = new Dictionary<string, string> { ["app"] = app };
        return service;
    }

    private static V1Ingress AlbIngress(string name, string host, string? group = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "shop",
            Uid = "uid-" + name,
            Annotations = group is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["alb.ingress.kubernetes.io/group.name"] = group },
        },
        Spec = new V1IngressSpec
        {
            IngressClassName = "alb",
            Rules = [new V1IngressRule { Host = host, Http = new V1HTTPIngressRuleValue { Paths = [] } }],
        },
    };

    private static readonly V1IngressClass AlbClass = new()
    {
        Metadata = new V1ObjectMeta { Name = "alb", Uid = "uid-class-alb" },
        Spec = new V1IngressClassSpec { Controller = "ingress.k8s.aws/alb" },
    };

    [Fact]
    public void The_projection_and_the_topologys_frozen_copy_read_the_same_index_and_a_copy_is_retaken_only_for_the_kind_that_moved()
    {
        var pod = InventoryLintsTests.Pod("app-1");
        _index.ApplyPods(Upsert(pod));
        _index.ApplyServices(Upsert(Service("svc-1", "app-1")));

        var first = KubernetesIndex.Freeze(_index, null);
        Assert.True(_inventory.Services.Current.ContainsKey("mlops/svc-1"));
        Assert.True(first.Services.ContainsKey("mlops/svc-1"));
        Assert.Same(pod, first.PodsByName[$"mlops/{pod.Metadata.Name}"]);

        // A Service goes away: the projection drops its row, the next copy drops it, and the pod copy is the previous one.
        var gone = _index.Services["mlops/svc-1"];
        _index.ApplyServices([new ResourceChange<V1Service>(ResourceChangeKind.Delete, gone, gone)]);
        var second = KubernetesIndex.Freeze(_index, first);
        Assert.False(_inventory.Services.Current.ContainsKey("mlops/svc-1"));
        Assert.False(second.Services.ContainsKey("mlops/svc-1"));
        Assert.Same(first.PodsByName, second.PodsByName);
        Assert.NotSame(first.Services, second.Services);

        // Nothing moved: the whole copy is reused.
        var third = KubernetesIndex.Freeze(_index, second);
        Assert.Same(second.Services, third.Services);
        Assert.Same(second.PodsByIp, third.PodsByIp);
    }

    [Fact]
    public void The_same_host_on_two_albs_is_flagged_on_both_until_they_share_a_group()
    {
        _index.ApplyIngressClasses(Upsert(AlbClass));
        _index.ApplyIngresses(Upsert(AlbIngress("web", "shop.example.com")));
        Assert.DoesNotContain(_inventory.Ingresses.Current["shop/web"].Lints, l => l.Code == InventoryLints.Codes.HostOnTwoAlbs);

        _index.ApplyIngresses(Upsert(AlbIngress("api", "SHOP.example.com")));

        var web = Assert.Single(_inventory.Ingresses.Current["shop/web"].Lints, l => l.Code == InventoryLints.Codes.HostOnTwoAlbs);
        Assert.Contains("Ingress shop/api", web.Detail, StringComparison.Ordinal);
        Assert.Contains("group.name", web.Detail, StringComparison.Ordinal);
        Assert.Contains(_inventory.Ingresses.Current["shop/api"].Lints, l => l.Code == InventoryLints.Codes.HostOnTwoAlbs);

        _index.ApplyIngresses(Upsert(AlbIngress("web", "shop.example.com", group: "shop"), AlbIngress("api", "shop.example.com", group: "shop")));

        Assert.DoesNotContain(_inventory.Ingresses.Current["shop/web"].Lints, l => l.Code == InventoryLints.Codes.HostOnTwoAlbs);
        Assert.DoesNotContain(_inventory.Ingresses.Current["shop/api"].Lints, l => l.Code == InventoryLints.Codes.HostOnTwoAlbs);
    }

    [Fact]
    public void A_missing_ingress_class_is_flagged_only_once_classes_are_known_and_cleared_when_it_appears()
    {
        _index.ApplyIngresses(Upsert(AlbIngress("web", "shop.example.com")));
        Assert.DoesNotContain(_inventory.Ingresses.Current["shop/web"].Lints, l => l.Code == InventoryLints.Codes.IngressClassNotFound);
        _inventory.MarkIngressClassesKnown();
        Assert.Contains(_inventory.Ingresses.Current["shop/web"].Lints, l => l.Code == InventoryLints.Codes.IngressClassNotFound);

        _index.ApplyIngressClasses(Upsert(AlbClass));

        Assert.DoesNotContain(_inventory.Ingresses.Current["shop/web"].Lints, l => l.Code == InventoryLints.Codes.IngressClassNotFound);
    }

    [Fact]
    public void An_ip_target_ingress_is_flagged_while_its_backend_pods_lack_the_readiness_gate()
    {
        _index.ApplyIngressClasses(Upsert(AlbClass));
        var backend = Service("web", "web");
        backend.Metadata.NamespaceProperty = "shop";
        _index.ApplyServices(Upsert(backend));
        var ingress = AlbIngress("web", "shop.example.com");
        ingress.Metadata.Annotations["alb.ingress.kubernetes.io/target-type"] = "ip";
        ingress.Spec.Rules[0].Http.Paths = [new V1HTTPIngressPath
        {
            Path = "/",
            PathType = "Prefix",
            Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Number = 80 } } },
        }];
        _index.ApplyIngresses(Upsert(ingress));
        _inventory.MarkPodsKnown();
        var plain = InventoryLintsTests.Pod("web", ns: "shop");
        _index.ApplyPods(Upsert(plain));

        var lint = Assert.Single(_inventory.Ingresses.Current["shop/web"].Lints, l => l.Code == InventoryLints.Codes.ReadinessGateMissing);
        Assert.Contains("kubectl label namespace shop elbv2.k8s.aws/pod-readiness-gate-inject=enabled", lint.Detail, StringComparison.Ordinal);

        var gated = InventoryLintsTests.Pod("web", ns: "shop");
        gated.Metadata.Uid = plain.Metadata.Uid;
        gated.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = "target-health.elbv2.k8s.aws/k8s-shop-web-0123456789" }];
        _index.ApplyPods([new ResourceChange<V1Pod>(ResourceChangeKind.Upsert, gated, plain)]);

        Assert.DoesNotContain(_inventory.Ingresses.Current["shop/web"].Lints, l => l.Code == InventoryLints.Codes.ReadinessGateMissing);
    }

    [Fact]
    public void A_pod_event_recomputes_only_the_services_that_select_it()
    {
        _index.ApplyServices(Upsert([.. Enumerable.Range(0, 200).Select(i => Service($"svc-{i}", $"app-{i}"))]));
        _inventory.MarkPodsKnown();
        var before = _inventory.Recomputations;

        _index.ApplyPods(Upsert(InventoryLintsTests.Pod("app-7")));

        Assert.Equal(1, _inventory.Recomputations - before);
        Assert.DoesNotContain(_inventory.Services.Current["mlops/svc-7"].Lints, l => l.Code == InventoryLints.Codes.SelectorMatchesNoPod);
        Assert.Contains(_inventory.Services.Current["mlops/svc-8"].Lints, l => l.Code == InventoryLints.Codes.SelectorMatchesNoPod);
    }

    [Fact]
    public void A_pod_relabelled_away_recomputes_the_service_it_left()
    {
        _index.ApplyServices(Upsert(Service("api", "api")));
        _inventory.MarkPodsKnown();
        var pod = InventoryLintsTests.Pod("api");
        _index.ApplyPods(Upsert(pod));
        Assert.Empty(_inventory.Services.Current["mlops/api"].Lints.Where(l => l.Code == InventoryLints.Codes.SelectorMatchesNoPod));

        var relabelled = InventoryLintsTests.Pod("other");
        relabelled.Metadata.Uid = pod.Metadata.Uid;
        _index.ApplyPods([new ResourceChange<V1Pod>(ResourceChangeKind.Upsert, relabelled, pod)]);

        Assert.Contains(_inventory.Services.Current["mlops/api"].Lints, l => l.Code == InventoryLints.Codes.SelectorMatchesNoPod);
    }

    [Fact]
    public void Endpoint_slices_feed_their_service_counts()
    {
        _index.ApplyServices(Upsert(Service("api", "api")));
        var slice = ServiceDecoderTests.Slice(("10.0.0.1", true), ("10.0.0.2", false));
        slice.Metadata.Labels = new Dictionary<string, string> { [EndpointCounts.ServiceNameLabel] = "api" };

        _index.ApplyEndpointSlices(Upsert(slice));

        var model = _inventory.Services.Current["mlops/api"];
        Assert.Equal((1, 1), (model.ReadyEndpoints, model.NotReadyEndpoints));
        _index.ApplyEndpointSlices([new ResourceChange<V1EndpointSlice>(ResourceChangeKind.Delete, slice, slice)]);
        Assert.Equal(0, _inventory.Services.Current["mlops/api"].ReadyEndpoints);
    }

    [Fact]
    public void Installing_the_controller_recomputes_in_tree_nlb_services_only()
    {
        _index.ApplyServices(Upsert(
            Service("legacy", "a", new Dictionary<string, string> { [ServiceDecoder.TypeAnnotation] = "nlb" }),
            Service("modern", "b", new Dictionary<string, string> { [ServiceDecoder.TypeAnnotation] = "external" })));
        var before = _inventory.Recomputations;

        _index.ApplyIngressClasses(Upsert(new V1IngressClass
        {
            Metadata = new V1ObjectMeta { Name = "alb", Uid = "ic" },
            Spec = new V1IngressClassSpec { Controller = "ingress.k8s.aws/alb" },
        }));

        Assert.Equal(1, _inventory.Recomputations - before);
        Assert.Contains(_inventory.Services.Current["mlops/legacy"].Lints, l => l.Code == InventoryLints.Codes.InTreeNlbWithController);
    }

    [Fact]
    public void Creating_a_missing_backend_service_clears_the_ingress_lint_and_deleting_it_removes_the_service()
    {
        _index.ApplyIngresses(Upsert(IngressDecoderTests.Ingress([], "api")));
        Assert.Contains(_inventory.Ingresses.Current["mlops/web"].Lints, l => l.Code == InventoryLints.Codes.BackendServiceMissing);
        var service = Service("api", "api");

        _index.ApplyServices(Upsert(service));
        Assert.DoesNotContain(_inventory.Ingresses.Current["mlops/web"].Lints, l => l.Code == InventoryLints.Codes.BackendServiceMissing);

        _index.ApplyServices([new ResourceChange<V1Service>(ResourceChangeKind.Delete, service, service)]);
        Assert.False(_inventory.Services.Current.ContainsKey("mlops/api"));
        Assert.Contains(_inventory.Ingresses.Current["mlops/web"].Lints, l => l.Code == InventoryLints.Codes.BackendServiceMissing);
    }

    [Fact]
    public void Detail_has_yaml_without_managed_fields_endpoints_with_zones_and_events_newest_first()
    {
        var service = Service("api", "api");
        service.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl", Operation = "Apply" }];
        _index.ApplyServices(Upsert(service));
        var slice = ServiceDecoderTests.Slice(("10.0.0.1", true));
        slice.Metadata.Labels = new Dictionary<string, string> { [EndpointCounts.ServiceNameLabel] = "api" };
        slice.Endpoints[0].NodeName = "ip-10-0-0-9";
        slice.Endpoints[0].TargetRef = new V1ObjectReference { Kind = "Pod", Name = "api-1" };
        _index.ApplyEndpointSlices(Upsert(slice));
        _index.ApplyNodes(Upsert(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "ip-10-0-0-9", Uid = "n1", Labels = new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "us-east-1a" } },
        }));
        _index.ApplyEvents(Upsert(Event("e1", "Ensuring", 1), Event("e2", "Ensured", 2)));
        var asOf = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var detail = _inventory.GetDetail(ObjectKind.Service, "mlops", "api", asOf);

        Assert.NotNull(detail);
        Assert.Contains("kind: Service", detail.Yaml);
        Assert.Contains("name: api", detail.Yaml);
        Assert.DoesNotContain("managedFields", detail.Yaml);
        Assert.NotNull(service.Metadata.ManagedFields); // the cached object is untouched
        Assert.Equal(new EndpointView("10.0.0.1", "api-1", "ip-10-0-0-9", "us-east-1a", true, true, false), Assert.Single(detail.Endpoints));
        Assert.Equal(["Ensured", "Ensuring"], detail.Events.Select(e => e.Reason));
        Assert.Equal(asOf, detail.AsOf);
        Assert.Null(_inventory.GetDetail(ObjectKind.Service, "mlops", "absent", asOf));
    }

    private static Corev1Event Event(string uid, string reason, int minute) => new()
    {
        Metadata = new V1ObjectMeta { Name = uid, NamespaceProperty = "mlops", Uid = uid },
        InvolvedObject = new V1ObjectReference { Kind = "Service", NamespaceProperty = "mlops", Name = "api" },
        Reason = reason,
        Message = reason + " load balancer",
        Type = "Normal",
        Source = new V1EventSource { Component = "service-controller" },
        LastTimestamp = new DateTime(2024, 1, 1, 12, minute, 0, DateTimeKind.Utc),
    };
}
