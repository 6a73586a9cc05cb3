using k8s;
using k8s.Models;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// What a watch cache keeps of each object, applied once as the object arrives (list page or watch event), before it is
/// held: client-go calls this a transform. Two things, both invisible to every reader of the caches:
/// <list type="bullet">
/// <item>Fields no page reads are dropped: metadata.managedFields on every kind (often the largest part of a real object),
/// and on Pods the spec parts nothing here shows (volumes, tolerations, affinity, security contexts, container env,
/// mounts, resources, commands). What stays on a Pod is what the pages and the topology read: metadata, node, host
/// network, readiness gates, containers' name, image, ports and probes, and the whole status.</item>
/// <item>Repeated strings are shared: namespaces, label and annotation keys and values, owner kinds, node and image names,
/// condition types — the same few hundred strings otherwise held once per object, tens of thousands of times at scale.</item>
/// </list>
/// KubernetesClient has no informer and so no transform hook; this is the small part of one we need.
/// </summary>
public static class ObjectTrim
{
    /// <summary>Trims <paramref name="item"/> in place (it is fresh from the wire and not yet shared) and returns it.</summary>
    public static T Apply<T>(T item, StringPool pool) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Metadata(item.Metadata, pool);
        switch (item)
        {
            case V1Pod pod:
                Pod(pod, pool);
                break;
            case V1EndpointSlice slice:
                EndpointSlice(slice, pool);
                break;
            case V1Service service:
                Service(service, pool);
                break;
            case Corev1Event @event:
                Event(@event, pool);
                break;
        }
        return item;
    }

    private static void Metadata(V1ObjectMeta? metadata, StringPool pool)
    {
        if (metadata is null)
        {
            return;
        }
        metadata.ManagedFields = null;
        metadata.NamespaceProperty = pool.Share(metadata.NamespaceProperty);
        metadata.GenerateName = pool.Share(metadata.GenerateName);
        metadata.Labels = SharedMap(metadata.Labels, pool, shareValues: true);
        // Annotation values can be long and unique (last-applied-configuration): share only the keys.
        metadata.Annotations = SharedMap(metadata.Annotations, pool, shareValues: false);
        foreach (var owner in metadata.OwnerReferences ?? [])
        {
            owner.ApiVersion = pool.Share(owner.ApiVersion);
            owner.Kind = pool.Share(owner.Kind);
            owner.Name = pool.Share(owner.Name);
        }
    }

    private static Dictionary<string, string>? SharedMap(IDictionary<string, string>? map, StringPool pool, bool shareValues)
    {
        if (map is null)
        {
            return null;
        }
        var shared = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            shared[pool.Share(key)!] = shareValues ? pool.Share(value)! : value;
        }
        return shared;
    }

    private static void Pod(V1Pod pod, StringPool pool)
    {
        if (pod.Spec is { } spec)
        {
            spec.Volumes = null;
            spec.Tolerations = null;
            spec.Affinity = null;
            spec.SecurityContext = null;
            spec.TopologySpreadConstraints = null;
            spec.ImagePullSecrets = null;
            spec.HostAliases = null;
            spec.DnsConfig = null;
            spec.EphemeralContainers = null;
            spec.NodeName = pool.Share(spec.NodeName);
            spec.SchedulerName = pool.Share(spec.SchedulerName);
            spec.ServiceAccountName = pool.Share(spec.ServiceAccountName);
            spec.ServiceAccount = pool.Share(spec.ServiceAccount);
            spec.DnsPolicy = pool.Share(spec.DnsPolicy);
            spec.RestartPolicy = pool.Share(spec.RestartPolicy);
            spec.PreemptionPolicy = pool.Share(spec.PreemptionPolicy);
            foreach (var container in (spec.Containers ?? []).Concat(spec.InitContainers ?? []))
            {
                Container(container, pool);
            }
        }
        if (pod.Status is { } status)
        {
            status.Phase = pool.Share(status.Phase);
            status.HostIP = pool.Share(status.HostIP);
            status.HostIPs = null;
            status.QosClass = pool.Share(status.QosClass);
            foreach (var condition in status.Conditions ?? [])
            {
                condition.Type = pool.Share(condition.Type);
                condition.Status = pool.Share(condition.Status);
                condition.Reason = pool.Share(condition.Reason);
            }
            foreach (var container in (status.ContainerStatuses ?? []).Concat(status.InitContainerStatuses ?? []))
            {
                container.Name = pool.Share(container.Name);
                container.Image = pool.Share(container.Image);
                container.ImageID = pool.Share(container.ImageID);
                if (container.State?.Waiting is { } waiting)
                {
                    waiting.Reason = pool.Share(waiting.Reason);
                }
            }
        }
    }

    private static void Container(V1Container container, StringPool pool)
    {
        container.Env = null;
        container.EnvFrom = null;
        container.VolumeMounts = null;
        container.VolumeDevices = null;
        container.Resources = null;
        container.ResizePolicy = null;
        container.Command = null;
        container.Args = null;
        container.Lifecycle = null;
        container.SecurityContext = null;
        container.TerminationMessagePath = null;
        container.TerminationMessagePolicy = null;
        container.Name = pool.Share(container.Name);
        container.Image = pool.Share(container.Image);
        container.ImagePullPolicy = pool.Share(container.ImagePullPolicy);
        foreach (var port in container.Ports ?? [])
        {
            port.Name = pool.Share(port.Name);
            port.Protocol = pool.Share(port.Protocol);
        }
        foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe })
        {
            if (probe?.HttpGet is { } get)
            {
                get.Path = pool.Share(get.Path);
                get.Scheme = pool.Share(get.Scheme);
            }
        }
    }

    private static void EndpointSlice(V1EndpointSlice slice, StringPool pool)
    {
        slice.AddressType = pool.Share(slice.AddressType);
        foreach (var endpoint in slice.Endpoints ?? [])
        {
            endpoint.NodeName = pool.Share(endpoint.NodeName);
            endpoint.Zone = pool.Share(endpoint.Zone);
            if (endpoint.TargetRef is { } target)
            {
                target.Kind = pool.Share(target.Kind);
                target.NamespaceProperty = pool.Share(target.NamespaceProperty);
            }
        }
        foreach (var port in slice.Ports ?? [])
        {
            port.Name = pool.Share(port.Name);
            port.Protocol = pool.Share(port.Protocol);
        }
    }

    private static void Service(V1Service service, StringPool pool)
    {
        if (service.Spec is not { } spec)
        {
            return;
        }
        spec.Type = pool.Share(spec.Type);
        spec.SessionAffinity = pool.Share(spec.SessionAffinity);
        spec.ExternalTrafficPolicy = pool.Share(spec.ExternalTrafficPolicy);
        spec.InternalTrafficPolicy = pool.Share(spec.InternalTrafficPolicy);
        spec.IpFamilyPolicy = pool.Share(spec.IpFamilyPolicy);
        spec.Selector = SharedMap(spec.Selector, pool, shareValues: true);
        foreach (var port in spec.Ports ?? [])
        {
            port.Name = pool.Share(port.Name);
            port.Protocol = pool.Share(port.Protocol);
        }
    }

    private static void Event(Corev1Event @event, StringPool pool)
    {
        @event.Type = pool.Share(@event.Type);
        @event.Reason = pool.Share(@event.Reason);
        @event.ReportingComponent = pool.Share(@event.ReportingComponent);
        @event.ReportingInstance = pool.Share(@event.ReportingInstance);
        if (@event.InvolvedObject is { } involved)
        {
            involved.Kind = pool.Share(involved.Kind);
            involved.ApiVersion = pool.Share(involved.ApiVersion);
            involved.NamespaceProperty = pool.Share(involved.NamespaceProperty);
        }
        if (@event.Source is { } source)
        {
            source.Component = pool.Share(source.Component);
            source.Host = pool.Share(source.Host);
        }
    }
}

/// <summary>
/// A bounded pool of shared strings (the caches' own, never the process-wide intern pool, so it is freed with them).
/// Strings longer than <see cref="MaxLength"/> are not pooled; once <paramref name="capacity"/> strings are held, new ones
/// pass through unshared, so a cluster of unique values cannot grow it without bound.
/// </summary>
public sealed class StringPool(int capacity = 200_000)
{
    public const int MaxLength = 256;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

    public int Count { get { lock (_gate) { return _strings.Count; } } }

    public string? Share(string? value)
    {
        if (value is null || value.Length > MaxLength)
        {
            return value;
        }
        if (value.Length == 0)
        {
            return string.Empty;
        }
        lock (_gate)
        {
            if (_strings.TryGetValue(value, out var shared))
            {
                return shared;
            }
            if (_strings.Count < capacity)
            {
                _strings.Add(value);
            }
            return value;
        }
    }
}
