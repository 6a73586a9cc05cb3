using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The <c>pods/{name}/log</c> subresource of the emulated API server: plain text, as kubelet would stream it. Simulated
/// pods run no process, so the lines are made up from the pod's simulated behaviour (its health and crash annotations,
/// probe path and ports): deterministic for a given pod and time, plausible enough for an on-call reader, timed from the
/// container's start. Supports <c>container</c>, <c>tailLines</c>, <c>limitBytes</c>, <c>timestamps</c>, <c>sinceSeconds</c>,
/// <c>sinceTime</c>, <c>previous</c> and <c>follow</c> (see <c>PodLogEndpoint.Follow.cs</c>).
/// </summary>
internal static partial class PodLogEndpoint
{
    private static readonly TimeSpan ProbePeriod = TimeSpan.FromSeconds(10);
    private const int HistoryLines = 400;

    public static IEndpointRouteBuilder MapPodLog(this IEndpointRouteBuilder app, ResourceStore store, Func<HttpContext, Func<Task>, Task> guard)
    {
        app.MapGet("/api/v1/namespaces/{namespace}/pods/{name}/log", context => guard(context, async () =>
        {
            try
            {
                var ns = context.Request.RouteValues["namespace"]!.ToString()!;
                var name = context.Request.RouteValues["name"]!.ToString()!;
                var text = Render(store, ns, name, context.Request.Query);
                context.Response.StatusCode = (int)HttpStatusCode.OK;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(text, context.RequestAborted);
                if (string.Equals(context.Request.Query["follow"], "true", StringComparison.OrdinalIgnoreCase))
                {
                    await FollowAsync(context, store, ns, name);
                }
            }
            catch (StoreException e) when (!context.Response.HasStarted)
            {
                await ResponseFormat.WriteErrorAsync(context, e, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client stopped following.
            }
        }));
        return app;
    }

    internal static string Render(ResourceStore store, string ns, string name, IQueryCollection query)
    {
        var (pod, container) = Find(store, ns, name, query);
        if (container is null)
        {
            return "";
        }
        var tail = ParseNonNegative(query["tailLines"], "tailLines");
        var limit = ParseNonNegative(query["limitBytes"], "limitBytes");
        var timestamps = string.Equals(query["timestamps"], "true", StringComparison.OrdinalIgnoreCase);
        var since = Since(query, store.Time.GetUtcNow());

        var lines = Lines(pod, container, store.Time.GetUtcNow(), Previous(query, pod, container))
            .Where(l => since is null || l.At >= since)
            .Select(l => Format(l, timestamps))
            .ToList();
        if (tail is { } t && t < lines.Count)
        {
            lines = lines[^(int)t..];
        }
        var text = lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";
        if (limit is { } l && Encoding.UTF8.GetByteCount(text) > l)
        {
            text = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text), 0, (int)l);
        }
        return text;
    }

    private static (JsonObject Pod, JsonObject? Container) Find(ResourceStore store, string ns, string name, IQueryCollection query)
    {
        var pod = store.Get(ResourceTypes.Pods, ns, name) ?? throw StoreException.NotFound(ResourceTypes.Pods, name);
        var containers = JsonFields.Objects(pod["spec"]?["containers"]).ToList();
        var containerName = query["container"].ToString();
        var container = containerName.Length == 0
            ? containers.FirstOrDefault()
            : containers.FirstOrDefault(c => JsonFields.String(c, "name") == containerName)
              ?? throw StoreException.BadRequest($"container {containerName} is not valid for pod {name}");
        return (pod, container);
    }

    private static string Format((DateTimeOffset At, string Text) line, bool timestamps) =>
        (timestamps ? line.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z' ", CultureInfo.InvariantCulture) : "") + line.Text;

    /// <summary>
    /// The lines of the container's current instance (from its <c>startedAt</c>) or, with <paramref name="previous"/>, of
    /// the instance before it (from <c>lastState.terminated.startedAt</c> to its <c>finishedAt</c>).
    /// </summary>
    private static List<(DateTimeOffset At, string Text)> Lines(JsonObject pod, JsonObject container, DateTimeOffset now, JsonObject? previous)
    {
        var behaviour = PodBehaviourAnnotations.Read(pod);
        var status = ContainerStatus(pod, container);
        var started = Time(previous?["startedAt"]) ?? Time(status?["state"]?["running"]?["startedAt"]) ?? Time(pod["metadata"]?["creationTimestamp"]) ?? now;
        if (Time(previous?["finishedAt"]) is { } finished)
        {
            now = finished;
        }
        var probePath = JsonFields.String(container["readinessProbe"]?["httpGet"], "path") ?? "/healthz";
        var port = JsonFields.Objects(container["ports"]).Select(p => JsonFields.Long(p, "containerPort")).FirstOrDefault(p => p is not null) ?? 8080;
        var image = JsonFields.String(container, "image") ?? "app";
        var lines = new List<(DateTimeOffset, string)>();
        void Add(DateTimeOffset at, string level, string message) =>
            lines.Add((at, $"{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {level,-5} {message}"));

        // Only the most recent history: a pod that has run for days logs from its last HistoryLines probes.
        var first = previous is not null ? started : Max(started, now - ProbePeriod * HistoryLines);
        Add(first, "INFO", $"starting {image}");
        Add(first, "INFO", $"loading model artifacts from /models");
        if (behaviour.CrashLooping || previous is not null)
        {
            Add(first + TimeSpan.FromSeconds(2), "ERROR", "failed to load model: /models/forecast.pkl: no such file or directory");
            Add(first + TimeSpan.FromSeconds(2), "ERROR", "exiting with status 1");
            return lines;
        }
        Add(first + TimeSpan.FromSeconds(1), "INFO", $"listening on 0.0.0.0:{port}");
        // Probes keep the container's own rhythm (every period since it started), so a follower sees the same lines.
        var skipped = Math.Ceiling((first - started) / ProbePeriod);
        for (var at = started + ProbePeriod * (skipped + 1); at <= now; at += ProbePeriod)
        {
            var index = (int)((at - started) / ProbePeriod);
            var message = behaviour.Health switch
            {
                PodHealth.Http500 => $"GET {probePath} 500 Internal Server Error ({2 + (index % 5)} ms): model not ready: feature store unreachable",
                PodHealth.Timeout => $"GET {probePath} handler still running after 30000 ms: waiting on database connection pool (0 of 10 free)",
                PodHealth.Refuse => $"listener on :{port} closed: too many open files; not accepting connections",
                _ => $"GET {probePath} 200 OK ({1 + (index % 3)} ms)",
            };
            Add(at, behaviour.Health switch { PodHealth.Ok => "INFO", PodHealth.Http500 => "ERROR", _ => "WARN" }, message);
        }
        return lines;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static long? ParseNonNegative(string? value, string parameter)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw StoreException.BadRequest($"{parameter}: must be a non-negative integer, got \"{value}\"");
    }
}
