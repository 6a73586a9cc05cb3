using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes.Api;

namespace Dashboard.Sandbox.Tests.Kubernetes;

public sealed class StrategicMergePatchTests
{
    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Service_ports_merge_by_port_with_delete_directive_and_element_order()
    {
        var service = Parse("""{"spec":{"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"https","port":443,"targetPort":8443}]}}""");
        var patch = Parse("""
            {"spec":{"$setElementOrder/ports":[{"port":8081},{"port":443}],
                     "ports":[{"name":"alt","port":8081},{"port":443,"targetPort":9443},{"$patch":"delete","port":80}]}}
            """);

        var result = StrategicMergePatch.Apply(service, patch);

        Assert.Equal("""[{"name":"alt","port":8081},{"name":"https","port":443,"targetPort":9443}]""", result["spec"]!["ports"]!.ToJsonString());
    }

    [Fact]
    public void Containers_merge_by_name_and_their_ports_by_containerPort_and_env_by_name()
    {
        var deployment = Parse("""
            {"spec":{"template":{"spec":{"containers":[
              {"name":"api","image":"v1","ports":[{"containerPort":8080,"name":"http"}],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
              {"name":"sidecar","image":"s1"}]}}}}
            """);
        var patch = Parse("""
            {"spec":{"template":{"spec":{"containers":[
              {"name":"api","image":"v2","ports":[{"containerPort":9090}],"env":[{"name":"B","value":"3"},{"$patch":"delete","name":"A"}]}]}}}}
            """);

        var containers = StrategicMergePatch.Apply(deployment, patch)["spec"]!["template"]!["spec"]!["containers"]!.AsArray();

        Assert.Equal(2, containers.Count);
        Assert.Equal("v2", containers[0]!["image"]!.ToString());
        Assert.Equal("""[{"containerPort":8080,"name":"http"},{"containerPort":9090}]""", containers[0]!["ports"]!.ToJsonString());
        Assert.Equal("""[{"name":"B","value":"3"}]""", containers[0]!["env"]!.ToJsonString());
        Assert.Equal("s1", containers[1]!["image"]!.ToString());
    }

    [Fact]
    public void Conditions_merge_by_type_nulls_delete_and_replace_directive_replaces()
    {
        var pod = Parse("""{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"selector":{"x":"1","y":"2"}},"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}""");
        var patch = Parse("""{"metadata":{"labels":{"a":null}},"spec":{"selector":{"$patch":"replace","z":"3"}},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");

        var result = StrategicMergePatch.Apply(pod, patch);

        Assert.Equal("""{"b":"2"}""", result["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("""{"z":"3"}""", result["spec"]!["selector"]!.ToJsonString());
        Assert.Equal("""[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]""", result["status"]!["conditions"]!.ToJsonString());
    }

    [Fact]
    public void Lists_without_a_merge_key_are_replaced_and_finalizers_are_unioned()
    {
        var obj = Parse("""{"metadata":{"finalizers":["a"]},"spec":{"loadBalancerSourceRanges":["0.0.0.0/0"]}}""");
        var patch = Parse("""{"metadata":{"finalizers":["b"]},"spec":{"loadBalancerSourceRanges":["10.0.0.0/8"]}}""");

        var result = StrategicMergePatch.Apply(obj, patch);

        Assert.Equal("""["a","b"]""", result["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("""["10.0.0.0/8"]""", result["spec"]!["loadBalancerSourceRanges"]!.ToJsonString());
    }

    [Fact]
    public void Merge_patch_follows_rfc_7386()
    {
        var target = JsonNode.Parse("""{"a":"b","c":{"d":"e","f":"g"}}""");

        var result = MergePatch.Apply(target, JsonNode.Parse("""{"a":"z","c":{"f":null}}"""));

        Assert.Equal("""{"a":"z","c":{"d":"e"}}""", result!.ToJsonString());
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(200, "3m20s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 10 * 60, "3h10m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(400 * 86400, "400d")]
    [InlineData(800 * 86400, "2y70d")]
    public void Ages_read_as_kubectl_prints_them(int seconds, string expected)
    {
        Assert.Equal(expected, ObjectTables.HumanDuration(TimeSpan.FromSeconds(seconds)));
    }
}
