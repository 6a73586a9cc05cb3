using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.Cluster;

public sealed class ServiceDefaultsTests
{
    private static JsonObject Service(string name, string type = "ClusterIP", string extraPort = "") =>
        (JsonObject)JsonNode.Parse($$$"""
            {"metadata":{"name":"{{{name}}}","namespace":"shop"},
             "spec":{"type":"{{{type}}}","selector":{"app":"web"},"ports":[{"port":80{{{extraPort}}}}]}}
            """)!;

    [Fact]
    public void Fills_the_api_server_defaults_and_allocates_stably()
    {
        var service = Service("web", "NodePort");
        ServiceDefaults.Apply(service, new ServiceAddressSpace());
        var spec = service["spec"]!;
        Assert.StartsWith("10.100.", spec["clusterIP"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(spec["clusterIP"]!.GetValue<string>(), spec["clusterIPs"]![0]!.GetValue<string>());
        Assert.Equal("TCP", spec["ports"]![0]!["protocol"]!.GetValue<string>());
        Assert.Equal(80, spec["ports"]![0]!["targetPort"].AsLong());
        Assert.InRange(spec["ports"]![0]!["nodePort"].AsLong(), 30000, 32767);
        Assert.Equal("None", spec["sessionAffinity"]!.GetValue<string>());
        Assert.Equal("Cluster", spec["externalTrafficPolicy"]!.GetValue<string>());
        Assert.Equal("SingleStack", spec["ipFamilyPolicy"]!.GetValue<string>());

        var again = Service("web", "NodePort");
        ServiceDefaults.Apply(again, new ServiceAddressSpace());
        Assert.Equal(spec["clusterIP"]!.GetValue<string>(), again["spec"]!["clusterIP"]!.GetValue<string>());
    }

    [Fact]
    public void Never_hands_out_a_taken_address_or_port()
    {
        var space = new ServiceAddressSpace();
        var ips = new HashSet<string>();
        var ports = new HashSet<long>();
        for (var i = 0; i < 2000; i++)
        {
            var service = Service("svc-" + i, "LoadBalancer");
            ServiceDefaults.Apply(service, space);
            Assert.True(ips.Add(service["spec"]!["clusterIP"]!.GetValue<string>()));
            Assert.True(ports.Add(service["spec"]!["ports"]![0]!["nodePort"].AsLong()));
        }
    }

    [Fact]
    public void Bad_input_is_rejected_naming_the_field()
    {
        var clusterIpWithNodePort = Service("web", "ClusterIP", ",\"nodePort\":30080");
        var forbidden = Assert.Throws<StoreException>(() => ServiceDefaults.Apply(clusterIpWithNodePort, new ServiceAddressSpace()));
        Assert.Equal("Invalid", forbidden.Reason);
        Assert.Equal("spec.ports[0].nodePort", forbidden.Causes.Single().Field);

        var outOfRange = Assert.Throws<StoreException>(() => ServiceDefaults.Apply(Service("web", "NodePort", ",\"nodePort\":80"), new ServiceAddressSpace()));
        Assert.Contains("30000-32767", outOfRange.Message, StringComparison.Ordinal);

        var badType = Assert.Throws<StoreException>(() => ServiceDefaults.Apply(Service("web", "Balanced"), new ServiceAddressSpace()));
        Assert.Equal("spec.type", badType.Causes.Single().Field);

        var space = new ServiceAddressSpace();
        var first = Service("a", "NodePort", ",\"nodePort\":30080");
        ServiceDefaults.Apply(first, space);
        var clash = Assert.Throws<StoreException>(() => ServiceDefaults.Apply(Service("b", "NodePort", ",\"nodePort\":30080"), space));
        Assert.Contains("already allocated", clash.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_overload_sees_existing_services()
    {
        var store = new ResourceStore();
        store.Create(ResourceTypes.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "shop" } });
        var taken = Service("a", "NodePort", ",\"nodePort\":30080");
        taken["spec"]!["clusterIP"] = "10.100.5.5";
        store.Create(ResourceTypes.Services, "shop", taken);

        var sameIp = Service("b");
        sameIp["spec"]!["clusterIP"] = "10.100.5.5";
        var error = Assert.Throws<StoreException>(() => ServiceDefaults.Apply(sameIp, store));
        Assert.Equal("spec.clusterIPs", error.Causes.Single().Field);
    }
}
