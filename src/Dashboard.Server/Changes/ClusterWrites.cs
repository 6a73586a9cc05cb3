using System.Net;
using System.Text.Json;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Server.Changes;

/// <summary>
/// The Kubernetes calls of a guided change, per kind: read, server-side apply (field manager
/// <see cref="FieldManager"/>, optionally as a dry run or forced), delete with a resourceVersion precondition, an Event
/// on the object. The only place the change service talks to the API server. Never reads Secrets.
/// </summary>
internal sealed class ClusterWrites(IKubernetes client, IReadOnlyDictionary<string, IReadOnlyList<string>>? impersonation = null)
{
    public const string FieldManager = "endpoint-dashboard";

    /// <summary>The Kubernetes user the writes (dry runs included) are sent as, when impersonating; reads stay the dashboard's.</summary>
    public string? ImpersonatedUser => impersonation?.TryGetValue("Impersonate-User", out var user) == true ? user[0] : null;

    /// <summary>The impersonation headers of <paramref name="actor"/> (user and groups, with the configured prefixes).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ImpersonationHeaders(ChangeActor actor, ImpersonationOptions options)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["Impersonate-User"] = [options.UserPrefix + actor.Name] };
        if (actor.Groups.Length > 0)
        {
            headers["Impersonate-Group"] = [.. actor.Groups.Select(g => options.GroupPrefix + g)];
        }
        return headers;
    }

    public async Task<IKubernetesObject<V1ObjectMeta>?> ReadAsync(ObjectRef target, CancellationToken cancellationToken)
    {
        try
        {
            return target.Kind switch
            {
                ObjectKind.Service => await client.CoreV1.ReadNamespacedServiceAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
                _ => await client.NetworkingV1.ReadNamespacedIngressAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
            };
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<V1Deployment?> ReadDeploymentAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IList<V1Pod>> PodsAsync(string ns, IDictionary<string, string>? selector, CancellationToken cancellationToken)
    {
        if (selector is not { Count: > 0 })
        {
            return [];
        }
        var labelSelector = string.Join(',', selector.Select(p => $"{p.Key}={p.Value}"));
        return (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken)).Items;
    }

    public async Task<bool> IngressClassIsAlbAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var ingressClass = await client.NetworkingV1.ReadIngressClassAsync(name, cancellationToken: cancellationToken);
            return ingressClass.Spec?.Controller == Inventory.IngressDecoder.AlbIngressController;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The controller Deployment in kube-system and whether it has a ready replica; null when it is not there.</summary>
    public async Task<bool?> ControllerReadyAsync(CancellationToken cancellationToken)
    {
        var deployment = await ReadDeploymentAsync("kube-system", Inventory.InventoryLints.ControllerDeploymentName, cancellationToken);
        return deployment is null ? null : deployment.Status?.ReadyReplicas > 0;
    }

    public async Task<IList<V1Ingress>> IngressesAsync(CancellationToken cancellationToken) =>
        (await client.NetworkingV1.ListIngressForAllNamespacesAsync(cancellationToken: cancellationToken)).Items;

    /// <summary>Server-side apply of <paramref name="applied"/>; the server's answer (for a dry run: what it would store).</summary>
    public async Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetesObject<V1ObjectMeta> applied, bool dryRun, bool force, CancellationToken cancellationToken)
    {
        // A dry run shows what the apply would do to the object as it is now; the real apply keeps the plan's
        // resourceVersion in the body, the precondition against a change made in between.
        var resourceVersion = applied.Metadata.ResourceVersion;
        if (dryRun)
        {
            applied.Metadata.ResourceVersion = null;
        }
        try
        {
            return await SendApplyAsync(applied, dryRun, force, cancellationToken);
        }
        finally
        {
            applied.Metadata.ResourceVersion = resourceVersion;
        }
    }

    private async Task<IKubernetesObject<V1ObjectMeta>> SendApplyAsync(IKubernetesObject<V1ObjectMeta> applied, bool dryRun, bool force, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(applied, V1Patch.PatchType.ApplyPatch);
        var name = applied.Metadata.Name;
        var ns = applied.Metadata.NamespaceProperty;
        string? dry = dryRun ? "All" : null;
        switch (applied)
        {
            case V1Service:
                using (var response = await client.CoreV1.PatchNamespacedServiceWithHttpMessagesAsync(patch, name, ns, dryRun: dry, fieldManager: FieldManager, force: force,
                    customHeaders: impersonation, cancellationToken: cancellationToken))
                {
                    return response.Body;
                }
            case V1Ingress:
                using (var response = await client.NetworkingV1.PatchNamespacedIngressWithHttpMessagesAsync(patch, name, ns, dryRun: dry, fieldManager: FieldManager, force: force,
                    customHeaders: impersonation, cancellationToken: cancellationToken))
                {
                    return response.Body;
                }
            default:
                throw new ArgumentException($"Guided changes do not write {applied.Kind}.", nameof(applied));
        }
    }

    /// <summary>Deletes <paramref name="target"/>; with <paramref name="resourceVersion"/> only if it has not changed.</summary>
    public async Task DeleteAsync(ObjectRef target, string? resourceVersion, bool dryRun, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions
        {
            Preconditions = resourceVersion is null ? null : new V1Preconditions { ResourceVersion = resourceVersion },
            DryRun = dryRun ? ["All"] : null,
        };
        string? dry = dryRun ? "All" : null;
        if (target.Kind == ObjectKind.Service)
        {
            using var response = await client.CoreV1.DeleteNamespacedServiceWithHttpMessagesAsync(target.Name, target.Namespace, options, dryRun: dry,
                customHeaders: impersonation, cancellationToken: cancellationToken);
        }
        else
        {
            using var response = await client.NetworkingV1.DeleteNamespacedIngressWithHttpMessagesAsync(target.Name, target.Namespace, options, dryRun: dry,
                customHeaders: impersonation, cancellationToken: cancellationToken);
        }
    }

    /// <summary>A Normal Event on the object naming the user, so <c>kubectl describe</c> tells the story too.</summary>
    public async Task RecordEventAsync(ObjectRef target, string? uid, string message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var involved = new V1ObjectReference
        {
            Kind = target.Kind.ToString(),
            NamespaceProperty = target.Namespace,
            Name = target.Name,
            Uid = uid,
            ApiVersion = target.Kind == ObjectKind.Service ? "v1" : "networking.k8s.io/v1",
        };
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{target.Name}.{now.ToUnixTimeMilliseconds():x}", NamespaceProperty = target.Namespace },
            InvolvedObject = involved,
            Reason = "ChangedByEndpointDashboard",
            Message = message,
            Type = "Normal",
            Source = new V1EventSource { Component = FieldManager },
            ReportingComponent = FieldManager,
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
        }, target.Namespace, cancellationToken: cancellationToken);
    }

    /// <summary>The API server's Status of a failed call: its message and, for an apply conflict, each manager and field.</summary>
    public static (int Code, string Message, IReadOnlyList<FieldConflict> Conflicts) Describe(HttpOperationException e)
    {
        var code = (int)e.Response.StatusCode;
        var conflicts = new List<FieldConflict>();
        var message = e.Message;
        try
        {
            using var document = JsonDocument.Parse(e.Response.Content ?? "");
            var root = document.RootElement;
            if (root.TryGetProperty("message", out var text))
            {
                message = text.GetString() ?? message;
            }
            if (root.TryGetProperty("details", out var details) && details.TryGetProperty("causes", out var causes))
            {
                foreach (var cause in causes.EnumerateArray())
                {
                    if (cause.TryGetProperty("reason", out var reason) && reason.GetString() == "FieldManagerConflict")
                    {
                        var causeMessage = cause.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                        var manager = causeMessage.Split('"') is { Length: >= 2 } parts ? parts[1] : causeMessage;
                        conflicts.Add(new FieldConflict(manager, cause.TryGetProperty("field", out var f) ? f.GetString() ?? "" : ""));
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy's error page): the exception's message stands.
        }
        return (code, message, conflicts);
    }
}
