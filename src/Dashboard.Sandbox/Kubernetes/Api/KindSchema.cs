using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The known fields of each served kind, derived by reflection from KubernetesClient's model types (their
/// <c>JsonPropertyName</c>s), so that <c>fieldValidation=Strict</c> can reject unknown fields and Warn/Ignore can drop
/// them as a real API server's decoder does. Kinds without a model (the TargetGroupBinding custom resource) accept any field.
/// </summary>
internal sealed class KindSchema
{
    private static readonly Dictionary<ResourceType, Type> ModelTypes = new()
    {
        [ResourceTypes.Namespaces] = typeof(V1Namespace),
        [ResourceTypes.Services] = typeof(V1Service),
        [ResourceTypes.Endpoints] = typeof(V1Endpoints),
        [ResourceTypes.Pods] = typeof(V1Pod),
        [ResourceTypes.Nodes] = typeof(V1Node),
        [ResourceTypes.Events] = typeof(Corev1Event),
        [ResourceTypes.ConfigMaps] = typeof(V1ConfigMap),
        [ResourceTypes.ServiceAccounts] = typeof(V1ServiceAccount),
        [ResourceTypes.Deployments] = typeof(V1Deployment),
        [ResourceTypes.ReplicaSets] = typeof(V1ReplicaSet),
        [ResourceTypes.EndpointSlices] = typeof(V1EndpointSlice),
        [ResourceTypes.Ingresses] = typeof(V1Ingress),
        [ResourceTypes.IngressClasses] = typeof(V1IngressClass),
        [ResourceTypes.Leases] = typeof(V1Lease),
        [ResourceTypes.Roles] = typeof(V1Role),
        [ResourceTypes.ClusterRoles] = typeof(V1ClusterRole),
        [ResourceTypes.RoleBindings] = typeof(V1RoleBinding),
        [ResourceTypes.ClusterRoleBindings] = typeof(V1ClusterRoleBinding),
        [ResourceTypes.PodDisruptionBudgets] = typeof(V1PodDisruptionBudget),
    };

    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> FieldsByType = new();
    private static readonly MethodInfo DeserializeString = typeof(KubernetesJson).GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.IsGenericMethodDefinition
            && m.GetParameters() is [{ ParameterType: var p }, ..] && p == typeof(string));

    private readonly Type? _model;

    private KindSchema(Type? model) => _model = model;

    public static KindSchema For(ResourceType type) => new(ModelTypes.GetValueOrDefault(type));

    /// <summary>The KubernetesClient model type of a kind, or null for custom resources.</summary>
    public static Type? ModelType(ResourceType type) => ModelTypes.GetValueOrDefault(type);

    /// <summary>Removes unknown fields from <paramref name="obj"/> and returns their dotted paths (e.g. <c>spec.portz</c>).</summary>
    public IReadOnlyList<string> PruneUnknownFields(JsonObject obj)
    {
        var unknown = new List<string>();
        if (_model is not null)
        {
            Prune(obj, _model, "", unknown);
        }
        return unknown;
    }

    /// <summary>Decodes the object into its model type to catch type errors (a string where a number belongs…); returns the error or null.</summary>
    public string? TypeError(JsonObject obj)
    {
        if (_model is null)
        {
            return null;
        }
        try
        {
            DeserializeString.MakeGenericMethod(_model).Invoke(null, [obj.ToJsonString(), null]);
            return null;
        }
        catch (TargetInvocationException e) when (e.InnerException is JsonException or FormatException or InvalidOperationException)
        {
            return e.InnerException.Message;
        }
    }

    private static void Prune(JsonObject obj, Type type, string path, List<string> unknown)
    {
        var fields = Fields(type);
        if (fields.Count == 0)
        {
            return;
        }
        foreach (var (name, value) in obj.ToList())
        {
            var childPath = path.Length == 0 ? name : path + "." + name;
            if (!fields.TryGetValue(name, out var fieldType))
            {
                unknown.Add(childPath);
                obj.Remove(name);
                continue;
            }
            PruneValue(value, fieldType, childPath, unknown);
        }
    }

    private static void PruneValue(JsonNode? value, Type fieldType, string path, List<string> unknown)
    {
        var element = ElementType(fieldType, out var isDictionary);
        if (element is null)
        {
            if (value is JsonObject o && IsModel(fieldType))
            {
                Prune(o, fieldType, path, unknown);
            }
            return;
        }
        if (isDictionary && value is JsonObject map)
        {
            foreach (var (key, item) in map)
            {
                PruneValue(item, element, path + "." + key, unknown);
            }
        }
        else if (!isDictionary && value is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                PruneValue(list[i], element, $"{path}[{i}]", unknown);
            }
        }
    }

    private static bool IsModel(Type t) => t.Namespace == typeof(V1Service).Namespace && t.IsClass;

    private static Type? ElementType(Type t, out bool isDictionary)
    {
        isDictionary = false;
        if (t == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(t))
        {
            return null;
        }
        var dictionary = t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? t : t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is not null)
        {
            isDictionary = true;
            return dictionary.GetGenericArguments()[1];
        }
        var enumerable = t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? t : t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static IReadOnlyDictionary<string, Type> Fields(Type type) => FieldsByType.GetOrAdd(type, static t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, Type: Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.Type, StringComparer.Ordinal));
}
