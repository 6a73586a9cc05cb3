using System.Net;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Kubernetes.Protobuf;
using Google.Protobuf;

namespace Dashboard.Sandbox.Tests.Kubernetes.Protobuf;

/// <summary>
/// Decoding <c>application/vnd.kubernetes.protobuf</c> bodies built by hand with the field numbers of the published
/// k8s.io/api and k8s.io/apimachinery <c>generated.proto</c> files, as Go's generated marshallers write them (every
/// non-pointer field written, even when empty).
/// </summary>
public sealed class ProtobufEnvelopeTests
{
    [Fact]
    public void Decodes_a_deployment_with_wrapper_types_maps_and_go_zero_values()
    {
        var metadata = Message(
            (1, "web"), (2, ""), (3, ""), (5, ""), (6, ""), (7, 0L),
            (8, Message((1, 1_700_000_000L))), // creationTimestamp
            (11, Message((1, "app"), (2, "web")))); // labels entry
        var container = Message((1, "c"), (2, "nginx"), (8, Message((1, Message((1, "cpu"), (2, Message((1, "500m"))))))));
        var spec = Message(
            (1, 0), // replicas: a Go pointer, so 0 is 0
            (3, Message((1, Message()), (2, Message((2, container))))),
            (4, Message((1, "RollingUpdate"), (2, Message((1, Message((1, 1L), (3, "25%"))), (2, Message((1, 0L), (2, 0))))))),
            (5, 0), // minReadySeconds: not a pointer, so 0 is "not set"
            (7, false)); // paused: not a pointer
        var body = Envelope("apps/v1", "Deployment", Message((1, metadata), (2, spec), (3, Message())));

        var obj = ProtobufEnvelope.Decode(body);

        Assert.Equal("Deployment", obj["kind"]!.ToString());
        Assert.Equal("apps/v1", obj["apiVersion"]!.ToString());
        Assert.Equal("""{"name":"web","creationTimestamp":"2023-11-14T22:13:20Z","labels":{"app":"web"}}""", obj["metadata"]!.ToJsonString());
        Assert.Equal(
            """{"replicas":0,"template":{"metadata":{},"spec":{"containers":[{"name":"c","image":"nginx","resources":{"limits":{"cpu":"500m"}}}]}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":0}}}""",
            obj["spec"]!.ToJsonString());
        Assert.Equal("{}", obj["status"]!.ToJsonString());
    }

    [Fact]
    public void Decodes_bytes_as_base64_and_inline_structs_into_their_parent()
    {
        var configMap = Envelope("v1", "ConfigMap", Message((1, Message((1, "cm"))), (3, Message((1, "blob"), (2, ByteString.CopyFrom(0xff, 0x00))))));
        var rule = Message((1, "shop.example.com"), (2, Message((1, Message((1, Message((1, "/cart"))))))));
        var ingress = Envelope("networking.k8s.io/v1", "Ingress", Message((1, Message((1, "shop"))), (2, Message((3, rule)))));

        Assert.Equal("/wA=", ProtobufEnvelope.Decode(configMap)["binaryData"]!["blob"]!.ToString());
        Assert.Equal("""{"host":"shop.example.com","http":{"paths":[{"path":"/cart"}]}}""", ProtobufEnvelope.Decode(ingress)["spec"]!["rules"]![0]!.ToJsonString());
    }

    [Fact]
    public void Decodes_named_string_slices_as_plain_arrays()
    {
        // SubjectAccessReviewSpec.extra is map<string, ExtraValue>; ExtraValue is Go's []string, written as {items: […]}.
        var extra = Message((1, "scopes"), (2, Message((1, "read"), (1, "write"))));
        var body = Envelope("authorization.k8s.io/v1", "SubjectAccessReview", Message((2, Message((3, "jane"), (4, "dev"), (4, "ops"), (5, extra)))));

        var spec = ProtobufEnvelope.Decode(body)["spec"]!;

        Assert.Equal("""{"user":"jane","groups":["dev","ops"],"extra":{"scopes":["read","write"]}}""", spec.ToJsonString());
    }

    [Fact]
    public void Rejects_bodies_without_the_prefix_or_with_an_unknown_kind()
    {
        var noPrefix = Assert.Throws<StoreException>(() => ProtobufEnvelope.Decode(Message((2, ByteString.Empty)).ToByteArray()));
        var unknownKind = Assert.Throws<StoreException>(() => ProtobufEnvelope.Decode(Envelope("elbv2.k8s.aws/v1beta1", "TargetGroupBinding", Message())));

        Assert.Equal(HttpStatusCode.BadRequest, noPrefix.Code);
        Assert.Contains("expected prefix [107 56 115 0]", noPrefix.Message);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.Code);
    }

    [Fact]
    public void The_schema_knows_every_built_in_kind_the_sandbox_serves()
    {
        // The controller's custom resources (TargetGroupBinding, IngressClassParams) are served as JSON only, as the real
        // API server serves every custom resource.
        foreach (var type in ResourceTypes.All.Where(t => t.Group != "elbv2.k8s.aws"))
        {
            Assert.True(ProtoSchema.ForKind(type.ApiVersion, type.Kind) is not null, $"no protobuf message for {type.ApiVersion} {type.Kind}");
        }
        Assert.NotNull(ProtoSchema.ForKind("autoscaling/v1", "Scale"));
        Assert.True(ProtoSchema.Find("k8s.io.api.apps.v1.DeploymentSpec")!.ByName["replicas"].IsPointer);
        Assert.False(ProtoSchema.Find("k8s.io.api.apps.v1.DeploymentSpec")!.ByName["minReadySeconds"].IsPointer);
    }

    private static byte[] Envelope(string apiVersion, string kind, ByteString raw)
    {
        var unknown = Message((1, Message((1, apiVersion), (2, kind))), (2, raw), (3, ""), (4, ""));
        return [.. "k8s\0"u8.ToArray(), .. unknown.ToByteArray()];
    }

    /// <summary>A message from (field number, value) pairs: strings, bools, ints and longs as varints, nested messages and bytes length-delimited.</summary>
    private static ByteString Message(params (int Field, object Value)[] fields)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var (field, value) in fields)
        {
            switch (value)
            {
                case string s:
                    output.WriteTag(field, WireFormat.WireType.LengthDelimited);
                    output.WriteString(s);
                    break;
                case ByteString bytes:
                    output.WriteTag(field, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(bytes);
                    break;
                case bool b:
                    output.WriteTag(field, WireFormat.WireType.Varint);
                    output.WriteBool(b);
                    break;
                case int i:
                    output.WriteTag(field, WireFormat.WireType.Varint);
                    output.WriteInt32(i);
                    break;
                case long l:
                    output.WriteTag(field, WireFormat.WireType.Varint);
                    output.WriteInt64(l);
                    break;
                default:
                    throw new ArgumentException($"unsupported value {value}");
            }
        }
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }
}
