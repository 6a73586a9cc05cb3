using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The time options of the log subresource and <c>follow</c>: <c>sinceSeconds</c> or <c>sinceTime</c> (not both) keep the
/// lines written since; <c>previous</c> reads the container instance before the current one (a restarted container's
/// <c>lastState.terminated</c>; 400 when there is none, as the kubelet answers); <c>follow</c> keeps the stream open and
/// writes each new line as the container writes it, until the pod stops (deleted or finished) or the client goes.
/// </summary>
internal static partial class PodLogEndpoint
{
    private static async Task FollowAsync(HttpContext context, ResourceStore store, string ns, string name)
    {
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var timestamps = string.Equals(context.Request.Query["timestamps"], "true", StringComparison.OrdinalIgnoreCase);
        var written = store.Time.GetUtcNow();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), store.Time);
        while (await timer.WaitForNextTickAsync(context.RequestAborted))
        {
            var pod = store.Get(ResourceTypes.Pods, ns, name);
            if (pod is null || PodStatus.IsTerminal(pod))
            {
                return;
            }
            var (_, container) = Find(store, ns, name, context.Request.Query);
            if (container is null)
            {
                return;
            }
            var now = store.Time.GetUtcNow();
            foreach (var line in Lines(pod, container, now, previous: null).Where(l => l.At > written && l.At <= now))
            {
                await context.Response.WriteAsync(Format(line, timestamps) + "\n", context.RequestAborted);
            }
            await context.Response.Body.FlushAsync(context.RequestAborted);
            written = now;
        }
    }

    private static DateTimeOffset? Since(IQueryCollection query, DateTimeOffset now)
    {
        var seconds = query["sinceSeconds"].ToString();
        var time = query["sinceTime"].ToString();
        if (seconds.Length > 0 && time.Length > 0)
        {
            throw new StoreException(HttpStatusCode.UnprocessableEntity, "Invalid", "PodLogOptions \"\" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
        }
        if (seconds.Length > 0)
        {
            return long.TryParse(seconds, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s > 0
                ? now - TimeSpan.FromSeconds(s)
                : throw new StoreException(HttpStatusCode.UnprocessableEntity, "Invalid", $"PodLogOptions \"\" is invalid: sinceSeconds: Invalid value: {seconds}: must be greater than 0");
        }
        return time.Length > 0
            ? DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : throw StoreException.BadRequest($"sinceTime: invalid RFC 3339 time \"{time}\"")
            : null;
    }

    /// <summary>The previous instance's <c>lastState.terminated</c> when <c>previous=true</c>; 400 when the container never restarted.</summary>
    private static JsonObject? Previous(IQueryCollection query, JsonObject pod, JsonObject container)
    {
        if (!string.Equals(query["previous"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return ContainerStatus(pod, container)?["lastState"]?["terminated"] as JsonObject
            ?? throw StoreException.BadRequest(
                $"previous terminated container \"{JsonFields.String(container, "name")}\" in pod \"{JsonFields.Name(pod)}\" not found");
    }

    private static JsonObject? ContainerStatus(JsonObject pod, JsonObject container) =>
        JsonFields.Objects(pod["status"]?["containerStatuses"]).FirstOrDefault(s => JsonFields.String(s, "name") == JsonFields.String(container, "name"));

    private static DateTimeOffset? Time(JsonNode? value) =>
        DateTimeOffset.TryParse(value?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
