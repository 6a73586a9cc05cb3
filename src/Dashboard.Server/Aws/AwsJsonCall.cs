using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Server.Aws;

/// <summary>
/// One call in the AWS JSON 1.1 protocol (<c>X-Amz-Target: {prefix}.{action}</c>) through <see cref="AwsTransport"/>, its
/// answer read by a callback; an unreadable answer becomes <see cref="AwsServiceException"/>. Shared by the
/// thin ACM and WAFv2 clients.
/// </summary>
internal static class AwsJsonCall
{
    private static readonly MediaTypeHeaderValue Json11 = new("application/x-amz-json-1.1");

    public static async Task<T> SendAsync<T>(AwsTransport transport, string targetPrefix, string action, JsonObject body, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var json = await transport.SendAsync(action, () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = Json11;
            return content;
        }, $"{targetPrefix}.{action}", cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(json.Length == 0 ? "{}" : json);
            return read(document.RootElement);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new AwsServiceException(transport.Service.Name, action, 200, null, $"unreadable response: {exception.Message}", null, exception);
        }
    }

    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    /// <summary>AWS JSON timestamps are epoch seconds (with a fraction).</summary>
    public static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value.GetDouble() * 1000))
            : null;
}
