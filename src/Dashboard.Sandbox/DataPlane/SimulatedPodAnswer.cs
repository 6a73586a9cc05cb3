using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.DataPlane;

/// <summary>What a simulated pod's application answers: a status code, a content type and a body, after a delay.</summary>
public sealed record PodAnswer(int StatusCode, string ContentType, string Body, TimeSpan Latency);

/// <summary>
/// The application in a simulated pod. It answers as its health annotation says (<c>http-500</c> answers 500; <c>timeout</c>
/// and <c>refuse</c> are the data plane's to act out), serves <c>/</c> and the paths its probes name (a pod without HTTP
/// probes serves every path; others answer 404), and on the retail-forecast pods <c>POST /predict</c> (and
/// <c>/predict/batch</c>) answers the seed's inference JSON (<c>{"prediction": …, "model_version": "v1.0"}</c>).
/// Latency: a per-pod base (3–28 ms, from the seed), log-normal jitter, and 0.3 ms per request in flight on the pod;
/// inference takes three times the base.
/// </summary>
public static class SimulatedPodAnswer
{
    private static readonly JsonSerializerOptions _json = new() { WriteIndented = false };

    public static PodAnswer Answer(int seed, PodBehaviour pod, JsonObject? podObject, string method, string path, string? requestBody, int inFlight, DateTimeOffset now)
    {
        var baseMs = 3 + (25 * AwsArns.Unit(seed, "pod-latency/" + pod.Namespace + "/" + pod.Name));
        var jitter = Math.Exp(0.35 * Gaussian());
        var latencyMs = (baseMs * jitter) + (0.3 * Math.Max(0, inFlight - 1));
        if (pod.EffectiveHealth == PodHealth.Http500)
        {
            return new PodAnswer(500, "application/json", """{"error":"internal server error"}""", TimeSpan.FromMilliseconds(latencyMs));
        }
        var isPredict = path is "/predict" or "/predict/batch" || path.StartsWith("/predict/", StringComparison.Ordinal);
        if (isPredict && IsRetailForecast(pod))
        {
            if (method != "POST")
            {
                return new PodAnswer(405, "application/json", """{"error":"use POST with a JSON body"}""", TimeSpan.FromMilliseconds(latencyMs));
            }
            return Predict(pod, requestBody, TimeSpan.FromMilliseconds(latencyMs * 3));
        }
        if (podObject is not null && !Serves(podObject, path))
        {
            return new PodAnswer(404, "application/json", $$"""{"error":"not found","path":{{JsonSerializer.Serialize(path)}}}""", TimeSpan.FromMilliseconds(latencyMs));
        }
        var body = new JsonObject
        {
            ["status"] = "healthy",
            ["timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["pod"] = pod.Name,
        };
        return new PodAnswer(200, "application/json", body.ToJsonString(_json), TimeSpan.FromMilliseconds(latencyMs));
    }

    private static PodAnswer Predict(PodBehaviour pod, string? requestBody, TimeSpan latency)
    {
        JsonObject? features;
        try
        {
            features = JsonNode.Parse(requestBody ?? "")?["features"] as JsonObject;
        }
        catch (JsonException e)
        {
            return new PodAnswer(400, "application/json", new JsonObject { ["error"] = "body is not JSON: " + e.Message }.ToJsonString(_json), latency);
        }
        if (features is null)
        {
            return new PodAnswer(422, "application/json", """{"error":"expected {\"features\": {\"store_id\": …, \"product_id\": …}}"}""", latency);
        }
        var key = string.Join('/', features.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value?.ToJsonString()));
        var prediction = Math.Round(50 + (200 * AwsArns.Unit(0, "predict/" + key)), 2);
        var answer = new JsonObject { ["prediction"] = prediction, ["model_version"] = "v1.0", ["pod"] = pod.Name };
        return new PodAnswer(200, "application/json", answer.ToJsonString(_json), latency);
    }

    private static bool IsRetailForecast(PodBehaviour pod) => pod.Name.StartsWith("retail-forecast", StringComparison.Ordinal);

    /// <summary>The same rule as the health checks: <c>/</c> always, the probes' paths, everything when no HTTP probe exists.</summary>
    private static bool Serves(JsonObject pod, string path)
    {
        var served = JsonFields.Objects(pod["spec"]?["containers"])
            .SelectMany(c => new[] { c["readinessProbe"], c["livenessProbe"], c["startupProbe"] })
            .Select(p => JsonFields.String(p?["httpGet"], "path"))
            .OfType<string>()
            .ToList();
        return served.Count == 0 || path == "/" || served.Contains(path);
    }

    private static double Gaussian()
    {
        var u1 = 1.0 - Random.Shared.NextDouble();
        var u2 = Random.Shared.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
