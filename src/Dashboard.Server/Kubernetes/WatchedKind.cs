using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Server.Kubernetes;

/// <summary>One page of a list call: the items, the list's resourceVersion and the continue token.</summary>
public sealed record ResourcePage<T>(IList<T> Items, string? ResourceVersion, string? Continue);

/// <summary>How to list and watch one kind with KubernetesClient. The wire stays here; the cache sees typed objects.</summary>
public sealed record WatchedKind<T>(
    string Name,
    Func<IKubernetes, int, string?, CancellationToken, Task<ResourcePage<T>>> ListPage,
    Func<IKubernetes, string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> Watch)
    where T : class, IKubernetesObject<V1ObjectMeta>;

/// <summary>
/// The kinds the inventory caches. Secrets are deliberately absent: the dashboard never reads them.
/// Deployments are watched in every namespace: kube-system's tell whether the AWS Load Balancer Controller is installed,
/// the others give each endpoint its desired replicas (triage's "2 of 3 desired replicas serve …").
/// </summary>
public static partial class WatchedKinds
{
    public const string ControllerNamespace = "kube-system";

    public static readonly WatchedKind<V1Service> Services = new(
        "services",
        async (c, limit, cont, ct) => Page(await c.CoreV1.ListServiceForAllNamespacesAsync(limit: limit, continueParameter: cont, cancellationToken: ct)),
        (c, rv, timeout, onError, ct) => c.CoreV1.WatchListServiceForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static readonly WatchedKind<V1Ingress> Ingresses = new(
        "ingresses",
        async (c, limit, cont, ct) => Page(await c.NetworkingV1.ListIngressForAllNamespacesAsync(limit: limit, continueParameter: cont, cancellationToken: ct)),
        (c, rv, timeout, onError, ct) => c.NetworkingV1.WatchListIngressForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static readonly WatchedKind<V1EndpointSlice> EndpointSlices = new(
        "endpointslices",
        async (c, limit, cont, ct) => Page(await c.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(limit: limit, continueParameter: cont, cancellationToken: ct)),
        (c, rv, timeout, onError, ct) => c.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static readonly WatchedKind<V1Pod> Pods = new(
        "pods",
        async (c, limit, cont, ct) => Page(await c.CoreV1.ListPodForAllNamespacesAsync(limit: limit, continueParameter: cont, cancellationToken: ct)),
        (c, rv, timeout, onError, ct) => c.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static readonly WatchedKind<Corev1Event> Events = new(
        "events",
        async (c, limit, cont, ct) => Page(await c.CoreV1.ListEventForAllNamespacesAsync(limit: limit, continueParameter: cont, cancellationToken: ct)),
        (c, rv, timeout, onError, ct) => c.CoreV1.WatchListEventForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static readonly WatchedKind<V1Node> Nodes = new(
        "nodes",
        async (c, limit, cont, ct) => Page(await c.CoreV1.ListNodeAsync(limit: limit, continueParameter: cont, cancellationToken: ct)),
        (c, rv, timeout, onError, ct) => c.CoreV1.WatchListNodeAsync(
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static readonly WatchedKind<V1IngressClass> IngressClasses = new(
        "ingressclasses",
        async (c, limit, cont, ct) => Page(await c.NetworkingV1.ListIngressClassAsync(limit: limit, continueParameter: cont, cancellationToken: ct)),
        (c, rv, timeout, onError, ct) => c.NetworkingV1.WatchListIngressClassAsync(
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static readonly WatchedKind<V1Deployment> Deployments = new(
        "deployments",
        async (c, limit, cont, ct) => Page(await c.AppsV1.ListDeploymentForAllNamespacesAsync(limit: limit, continueParameter: cont, cancellationToken: ct)),
        (c, rv, timeout, onError, ct) => c.AppsV1.WatchListDeploymentForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    /// <summary>
    /// The AWS Load Balancer Controller's TargetGroupBindings (a custom resource, read through CustomObjects). A cluster
    /// without the controller's CRD answers 404: that reads as "no bindings", so the cache stays live and empty instead of
    /// marking the whole Kubernetes source stale; the watch then idles for its timeout and asks again.
    /// </summary>
    public static readonly WatchedKind<TargetGroupBindingResource> TargetGroupBindings = new(
        "targetgroupbindings",
        async (c, limit, cont, ct) =>
        {
            try
            {
                var response = await c.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<TargetGroupBindingList>(
                    TargetGroupBindingResource.Group, TargetGroupBindingResource.Version, TargetGroupBindingResource.Plural,
                    continueParameter: cont, limit: limit, cancellationToken: ct);
                return Page(response.Body, response.Body.Items);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return new ResourcePage<TargetGroupBindingResource>([], null, null);
            }
        },
        WatchTargetGroupBindings);

    private static async IAsyncEnumerable<(WatchEventType, TargetGroupBindingResource)> WatchTargetGroupBindings(IKubernetes client,
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = client.CustomObjects.WatchListClusterCustomObjectAsync(
            TargetGroupBindingResource.Group, TargetGroupBindingResource.Version, TargetGroupBindingResource.Plural,
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError,
            cancellationToken: cancellationToken);
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        var served = true;
        while (true)
        {
            bool next;
            try
            {
                next = await enumerator.MoveNextAsync();
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                served = false;
                break;
            }
            if (!next)
            {
                break;
            }
            var (type, item) = enumerator.Current;
            // Custom objects arrive untyped: read them through the client's own JSON settings.
            var typed = item is TargetGroupBindingResource resource ? resource : KubernetesJson.Deserialize<TargetGroupBindingResource>(KubernetesJson.Serialize(item));
            yield return (type, typed);
        }
        if (!served)
        {
            // A watch on a kind the server does not serve: nothing happens until the timeout.
            await Task.Delay(TimeSpan.FromSeconds(timeoutSeconds), cancellationToken);
        }
    }

    private static ResourcePage<T> Page<T>(IKubernetesObject<V1ListMeta> list, IList<T> items) =>
        new(items ?? [], list.Metadata?.ResourceVersion, string.IsNullOrEmpty(list.Metadata?.ContinueProperty) ? null : list.Metadata.ContinueProperty);

    private static ResourcePage<V1Service> Page(V1ServiceList list) => Page(list, list.Items);
    private static ResourcePage<V1Ingress> Page(V1IngressList list) => Page(list, list.Items);
    private static ResourcePage<V1EndpointSlice> Page(V1EndpointSliceList list) => Page(list, list.Items);
    private static ResourcePage<V1Pod> Page(V1PodList list) => Page(list, list.Items);
    private static ResourcePage<Corev1Event> Page(Corev1EventList list) => Page(list, list.Items);
    private static ResourcePage<V1Node> Page(V1NodeList list) => Page(list, list.Items);
    private static ResourcePage<V1IngressClass> Page(V1IngressClassList list) => Page(list, list.Items);
    private static ResourcePage<V1Deployment> Page(V1DeploymentList list) => Page(list, list.Items);
}
