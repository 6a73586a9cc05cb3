namespace Dashboard.Sandbox.Kubernetes.Protobuf;

internal static partial class ProtoSchema
{
    /// <summary>The full name of every message of the schema (<c>k8s.io.api.core.v1.ServicePort</c>…).</summary>
    public static IEnumerable<string> FullNames() => Messages.Value.Keys;
}
