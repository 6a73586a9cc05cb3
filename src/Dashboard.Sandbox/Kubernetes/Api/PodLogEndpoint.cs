using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The <c>pods/{name}/log</c> subresource of the emulated API server: plain text, as kubelet would stream it. Simulated
/// pods run no process, so the lines are made up from the pod's simulated behaviour (its health and crash annotations,
/// probe path and ports): deterministic for a given pod and time, plausible enough for an on-call reader. Supports
/// <c>container</c>, <c>tailLines</c>, <c>limitBytes</c> and <c>timestamps</c>; not <c>follow</c>.
/// </summary>
internal static class PodLogEndpoint
{
    private static readonly TimeSpan ProbePeriod = TimeSpan.FromSeconds(10);
    private const int HistoryLines = 400;

    public static IEndpointRouteBuilder MapPodLog(this IEndpointRouteBuilder app, ResourceStore store)
    {
        app.MapGet("/api/v1/namespaces/{namespace}/pods/{name}/log", async context =>
        {
            try
            {
                var text = Render(store, context.Request.RouteValues["namespace"]!.ToString()!, context.Request.RouteValues["name"]!.ToString()!, context.Request.Query);
                context.Response.StatusCode = (int)HttpStatusCode.OK;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(text, context.RequestAborted);
            }
            catch (StoreException e) when (!context.Response.HasStarted)
            {
                await ResponseFormat.WriteErrorAsync(context, e, context.RequestAborted);
            }
        });
        return app;
    }

    internal static string Render(ResourceStore store, string ns, string name, IQueryCollection query)
    {
        var pod = store.Get(ResourceTypes.Pods, ns, name) ?? throw StoreException.NotFound(ResourceTypes.Pods, name);
        var containers = JsonFields.Objects(pod["spec"]?["containers"]).ToList();
        var containerName = query["container"].ToString();
        var container = containerName.Length == 0
            ? containers.FirstOrDefault()
            : containers.FirstOrDefault(c => JsonFields.String(c, "name") == containerName)
              ?? throw StoreException.BadRequest($"container {containerName} is not valid for pod {name}");
        if (container is null)
        {
            return "";
        }
        var tail = ParseNonNegative(query["tailLines"], "tailLines");
        var limit = ParseNonNegative(query["limitBytes"], "limitBytes");
        var timestamps = string.Equals(query["timestamps"], "true", StringComparison.OrdinalIgnoreCase);

        var lines = Lines(pod, container, store.Time.GetUtcNow(), timestamps);
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

    private static List<string> Lines(JsonObject pod, JsonObject container, DateTimeOffset now, bool timestamps)
    {
        var behaviour = PodBehaviourAnnotations.Read(pod);
        var started = DateTimeOffset.TryParse(JsonFields.String(pod["metadata"], "creationTimestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? created : now;
        var probePath = JsonFields.String(container["readinessProbe"]?["httpGet"], "path") ?? "/healthz";
        var port = JsonFields.Objects(container["ports"]).Select(p => JsonFields.Long(p, "containerPort")).FirstOrDefault(p => p is not null) ?? 8080;
        var image = JsonFields.String(container, "image") ?? "app";
        var lines = new List<string>();
        void Add(DateTimeOffset at, string level, string message) =>
            lines.Add((timestamps ? at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z' ", CultureInfo.InvariantCulture) : "")
                + $"{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {level,-5} {message}");

        // Only the most recent history: a pod that has run for days logs from its last HistoryLines probes.
        var first = Max(started, now - ProbePeriod * HistoryLines);
        Add(first, "INFO", $"starting {image}");
        Add(first, "INFO", $"loading model artifacts from /models");
        if (behaviour.CrashLooping)
        {
            Add(first + TimeSpan.FromSeconds(2), "ERROR", "failed to load model: /models/forecast.pkl: no such file or directory");
            Add(first + TimeSpan.FromSeconds(2), "ERROR", "exiting with status 1");
            return lines;
        }
        Add(first + TimeSpan.FromSeconds(1), "INFO", $"listening on 0.0.0.0:{port}");
        var index = 0;
        for (var at = first + ProbePeriod; at <= now; at += ProbePeriod)
        {
            index++;
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
