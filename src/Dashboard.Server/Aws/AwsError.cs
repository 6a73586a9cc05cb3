using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace Dashboard.Server.Aws;

/// <summary>
/// An AWS error answer reduced to code, message and request id, whichever protocol it came in:
/// Query/XML (<c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;…</c>), JSON 1.0/1.1 (<c>{"__type": "…#Code", "message": …}</c>),
/// or the <c>x-amzn-query-error</c> / <c>x-amzn-ErrorType</c> headers.
/// </summary>
public sealed record AwsError(string? Code, string? Message, string? RequestId)
{
    /// <summary>Error codes by which AWS services say "slow down"; HTTP 400 with one of these is retried.</summary>
    public static readonly IReadOnlySet<string> ThrottlingCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "ProvisionedThroughputExceededException",
        "SlowDown",
        // Cost Explorer's rate limit ("You made too many calls in a short period of time").
        "LimitExceededException",
    };

    public static bool IsThrottlingCode(string? code) => code is not null && ThrottlingCodes.Contains(code);

    /// <summary>Reads the error of <paramref name="response"/>; buffers the body so it can be read again.</summary>
    public static async Task<AwsError> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return Parse(response, body);
    }

    public static AwsError Parse(HttpResponseMessage response, string body)
    {
        var requestId = Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id");
        var fromBody = ParseBody(body);
        var code = QueryErrorHeaderCode(response) ?? fromBody.Code ?? CleanCode(Header(response, "x-amzn-ErrorType"));
        return new AwsError(code, fromBody.Message, requestId ?? fromBody.RequestId);
    }

    private static AwsError ParseBody(string body)
    {
        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.StartsWith("<"))
        {
            return ParseXml(body);
        }
        if (trimmed.StartsWith("{"))
        {
            return ParseJson(body);
        }
        return new AwsError(null, null, null);
    }

    private static AwsError ParseXml(string body)
    {
        try
        {
            var root = XDocument.Parse(body).Root;
            var error = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error") ?? root;
            return new AwsError(
                Child(error, "Code"),
                Child(error, "Message"),
                Child(root, "RequestId") ?? Child(root, "RequestID") ?? root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value);
        }
        catch (XmlException)
        {
            return new AwsError(null, null, null);
        }
    }

    private static AwsError ParseJson(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new AwsError(null, null, null);
            }
            string? code = null;
            string? message = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }
                if (property.NameEquals("__type") || (code is null && property.Name.Equals("code", StringComparison.OrdinalIgnoreCase)))
                {
                    code = CleanCode(property.Value.GetString());
                }
                else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                {
                    message = property.Value.GetString();
                }
            }
            return new AwsError(code, message, null);
        }
        catch (JsonException)
        {
            return new AwsError(null, null, null);
        }
    }

    // "com.amazonaws.ce#DataUnavailableException" → "DataUnavailableException";
    // "ThrottlingException:http://internal.amazon.com/coral/..." → "ThrottlingException".
    private static string? CleanCode(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var code = raw;
        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }
        var colon = code.IndexOf(':');
        if (colon >= 0)
        {
            code = code[..colon];
        }
        return code.Trim();
    }

    // JSON services in query-compatible mode (CloudWatch) send the Query error code as "Code;Sender".
    private static string? QueryErrorHeaderCode(HttpResponseMessage response)
    {
        var value = Header(response, "x-amzn-query-error");
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var semicolon = value.IndexOf(';');
        return (semicolon >= 0 ? value[..semicolon] : value).Trim();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? Child(XElement? element, string localName) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;
}
