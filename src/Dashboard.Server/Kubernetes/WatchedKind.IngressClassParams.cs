using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;

namespace Dashboard.Server.Kubernetes;

public static partial class WatchedKinds
{
    /// <summary>
    /// The AWS Load Balancer Controller's cluster-scoped IngressClassParams (read through CustomObjects, list and watch
    /// only). As with TargetGroupBindings, a cluster without the CRD answers 404: that reads as "none", not as a stale source.
    /// </summary>
    public static readonly WatchedKind<IngressClassParamsResource> IngressClassParams = new(
        "ingressclassparams",
        async (c, limit, cont, ct) =>
        {
            try
            {
                var response = await c.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<IngressClassParamsList>(
                    IngressClassParamsResource.Group, IngressClassParamsResource.Version, IngressClassParamsResource.Plural,
                    continueParameter: cont, limit: limit, cancellationToken: ct);
                return Page(response.Body, response.Body.Items);
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return new ResourcePage<IngressClassParamsResource>([], null, null);
            }
        },
        WatchIngressClassParams);

    private static async IAsyncEnumerable<(WatchEventType, IngressClassParamsResource)> WatchIngressClassParams(IKubernetes client,
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = client.CustomObjects.WatchListClusterCustomObjectAsync(
            IngressClassParamsResource.Group, IngressClassParamsResource.Version, IngressClassParamsResource.Plural,
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
            yield return (type, item is IngressClassParamsResource typed ? typed
                : KubernetesJson.Deserialize<IngressClassParamsResource>(KubernetesJson.Serialize(item)));
        }
        if (!served)
        {
            await Task.Delay(TimeSpan.FromSeconds(timeoutSeconds), cancellationToken);
        }
    }
}
