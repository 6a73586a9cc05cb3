using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Client.Model;
using Dashboard.Server.Kubernetes;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Topology;

/// <summary>
/// Reads the tail of a pod's log through the Kubernetes API (<c>GET /api/v1/namespaces/{ns}/pods/{pod}/log?tailLines=N</c>),
/// bounded in lines, bytes and time. Every failure comes back as <see cref="PodLog.Error"/>, never as an exception.
/// </summary>
public sealed partial class PodLogReader(KubernetesConnection connection, IOptions<TopologyOptions> options, TimeProvider time)
{
    private readonly TopologyOptions _options = options.Value;

    public async Task<PodLog> ReadAsync(string @namespace, string pod, int tailLines, CancellationToken cancellationToken)
    {
        if (Invalid(@namespace, pod, tailLines) is { } error)
        {
            return Failed(@namespace, pod, error);
        }
        var lines = Math.Min(tailLines, _options.PodLogMaxLines);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PodLogTimeout);
        try
        {
            var client = await connection.GetClientAsync(timeout.Token);
            return await ReadAsync(client, @namespace, pod, lines, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(@namespace, pod, string.Create(CultureInfo.InvariantCulture, $"The Kubernetes API did not return the log within {_options.PodLogTimeout.TotalSeconds:0.#} s."));
        }
        catch (HttpOperationException e)
        {
            return Failed(@namespace, pod, e.Response?.StatusCode == HttpStatusCode.NotFound
                ? $"Pod {@namespace}/{pod} was not found (deleted, or its log is not served)."
                : $"The Kubernetes API refused the log: HTTP {(int)(e.Response?.StatusCode ?? 0)} {StatusMessage(e.Response?.Content)}".TrimEnd());
        }
        catch (HttpRequestException e)
        {
            return Failed(@namespace, pod, "Cannot reach the Kubernetes API: " + e.Message);
        }
        catch (IOException e)
        {
            return Failed(@namespace, pod, "The log stream broke: " + e.Message);
        }
    }

    private async Task<PodLog> ReadAsync(IKubernetes client, string @namespace, string pod, int lines, CancellationToken cancellationToken)
    {
        // limitBytes makes the API server stop after that many bytes; reading one byte more tells whether it cut.
        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, @namespace, limitBytes: _options.PodLogMaxBytes,
            tailLines: lines, cancellationToken: cancellationToken);
        var buffer = new byte[_options.PodLogMaxBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        var truncated = read >= _options.PodLogMaxBytes;
        var text = Encoding.UTF8.GetString(buffer, 0, Math.Min(read, _options.PodLogMaxBytes));
        var split = text.Split('\n');
        if (split.Length > lines + 1)
        {
            text = string.Join('\n', split[^(lines + 1)..]);
            truncated = true;
        }
        return new PodLog(@namespace, pod, text, truncated, null, time.GetUtcNow());
    }

    private string? Invalid(string @namespace, string pod, int tailLines)
    {
        if (string.IsNullOrEmpty(@namespace) || @namespace.Length > 63 || !DnsLabel().IsMatch(@namespace))
        {
            return $"namespace '{@namespace}' is not a valid namespace name: lower-case letters, digits and '-', at most 63 characters.";
        }
        if (string.IsNullOrEmpty(pod) || pod.Length > 253 || !DnsSubdomain().IsMatch(pod))
        {
            return $"pod '{pod}' is not a valid pod name: lower-case letters, digits, '-' and '.', at most 253 characters.";
        }
        if (tailLines < 1)
        {
            return $"tailLines must be at least 1 (at most {_options.PodLogMaxLines} are read); got {tailLines}.";
        }
        return null;
    }

    private PodLog Failed(string @namespace, string pod, string error) => new(@namespace, pod, "", false, error, time.GetUtcNow());

    private static string StatusMessage(string? content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return "";
        }
        try
        {
            using var doc = JsonDocument.Parse(content);
            return doc.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
