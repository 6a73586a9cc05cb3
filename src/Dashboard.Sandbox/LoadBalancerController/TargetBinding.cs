using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>
/// Which Service port's endpoints a target group receives: read from a TargetGroupBinding (controller stacks, also
/// user-made bindings), or kept in memory for in-tree NLBs, which have no binding object.
/// </summary>
internal sealed record TargetBinding
{
    public required string TargetGroupArn { get; init; }
    public required string Namespace { get; init; }
    public required string ServiceName { get; init; }

    /// <summary>The Service port: its number, or its name as text.</summary>
    public required string ServicePort { get; init; }
    public required string TargetType { get; init; }

    /// <summary>The TargetGroupBinding's name (the readiness gate's suffix); null for in-tree target groups.</summary>
    public string? BindingName { get; init; }
    public ImmutableDictionary<string, string> NodeSelector { get; init; } = ImmutableDictionary<string, string>.Empty;

    public string ServiceKey => Namespace + "/" + ServiceName;

    public static TargetBinding? FromObject(JsonObject binding)
    {
        var spec = binding["spec"];
        var arn = JsonFields.String(spec, "targetGroupARN");
        var service = JsonFields.String(spec?["serviceRef"], "name");
        var port = spec?["serviceRef"]?["port"]?.ToString();
        if (arn is null || service is null || port is null)
        {
            return null;
        }
        return new TargetBinding
        {
            TargetGroupArn = arn,
            Namespace = JsonFields.Namespace(binding) ?? "",
            ServiceName = service,
            ServicePort = port,
            TargetType = JsonFields.String(spec, "targetType") ?? "instance",
            BindingName = JsonFields.Name(binding),
            NodeSelector = JsonFields.StringMap(spec?["nodeSelector"]?["matchLabels"]).ToImmutableDictionary(),
        };
    }

    /// <summary>The TargetGroupBinding object the controller keeps for a target group.</summary>
    public static JsonObject ToObject(DesiredTargetGroup desired, string targetGroupArn, string vpcId)
    {
        var spec = new JsonObject
        {
            ["targetGroupARN"] = targetGroupArn,
            ["targetType"] = desired.TargetType,
            ["serviceRef"] = new JsonObject { ["name"] = desired.Backend.ServiceName, ["port"] = desired.Backend.ServicePort },
            ["ipAddressType"] = "ipv4",
            ["vpcID"] = vpcId,
        };
        if (desired.Binding is { NodeSelectorLabels.Length: > 0 } binding)
        {
            spec["nodeSelector"] = new JsonObject
            {
                ["matchLabels"] = JsonFields.ToObject(binding.NodeSelectorLabels.Select(l => l.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1]))),
            };
        }
        return new JsonObject
        {
            ["apiVersion"] = "elbv2.k8s.aws/v1beta1",
            ["kind"] = "TargetGroupBinding",
            ["metadata"] = new JsonObject
            {
                ["name"] = desired.Name,
                ["namespace"] = desired.Backend.Namespace,
                ["labels"] = JsonFields.ToObject(desired.Binding?.Labels ?? ImmutableDictionary<string, string>.Empty),
                ["finalizers"] = new JsonArray("elbv2.k8s.aws/resources"),
            },
            ["spec"] = spec,
        };
    }
}
