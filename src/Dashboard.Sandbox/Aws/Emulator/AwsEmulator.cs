using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dashboard.Sandbox.Aws.CertificateManager;
using Dashboard.Sandbox.Aws.CloudWatch;
using Dashboard.Sandbox.Aws.CostExplorer;
using Dashboard.Sandbox.Aws.Ec2;
using Dashboard.Sandbox.Aws.Elbv2;
using Dashboard.Sandbox.Aws.Waf;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Dashboard.Sandbox.Aws.Emulator;

/// <summary>
/// The AWS endpoint of the sandbox: one Kestrel app that routes each request by the service of its SigV4 credential
/// scope and by <c>X-Amz-Target</c> to ELBv2 (Query/XML), CloudWatch (JSON 1.0 or Query), Cost Explorer (JSON 1.1),
/// EC2 (EC2 Query), ACM and WAFv2 (JSON 1.1),
/// checks the signature, applies <see cref="AwsFaults"/>, and answers errors in each protocol's own shape.
/// Admin: <c>GET|POST|DELETE /_sandbox/faults</c>.
/// </summary>
public sealed partial class AwsEmulator : IAsyncDisposable
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;
    private readonly WebApplication _app;
    private readonly AwsFaults _faults;
    private readonly RegionalApis _primary;
    private readonly CostExplorerApi _costExplorer;
    private readonly ILogger _logger;

    private AwsEmulator(WebApplication app, AwsWorld world, AwsFaults faults, ElbTrafficModel traffic, ElbCostModel costs)
    {
        _app = app;
        _faults = faults;
        Traffic = traffic;
        Costs = costs;
        _primary = new RegionalApis(world, traffic);
        _regions[world.Region] = _primary;
        _costExplorer = new CostExplorerApi(world, costs);
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<AwsEmulator>();
    }

    public Uri Uri { get; private set; } = null!;

    public AwsFaults Faults => _faults;
    public ElbTrafficModel Traffic { get; }
    public ElbCostModel Costs { get; }

    /// <summary>ELBv2's page size when a request names none (AWS: 400); tests lower it to exercise NextMarker.</summary>
    public int Elbv2DefaultPageSize
    {
        get => _primary.Elbv2.DefaultPageSize;
        set => _primary.Elbv2.DefaultPageSize = value;
    }

    /// <summary>Cost Explorer's page size in groups; tests lower it to exercise NextPageToken.</summary>
    public int CostExplorerMaxGroupsPerPage
    {
        get => _costExplorer.MaxGroupsPerPage;
        set => _costExplorer.MaxGroupsPerPage = value;
    }

    /// <summary>Starts listening on <paramref name="url"/> (port 0 picks a free port; <see cref="Uri"/> tells which).</summary>
    public static async Task<AwsEmulator> StartAsync(
        string url, AwsWorld world, AwsFaults faults, ElbTrafficModel traffic, ElbCostModel costs, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }
        var app = builder.Build();
        var emulator = new AwsEmulator(app, world, faults, traffic, costs);
        emulator.MapFaultsAdmin();
        emulator.MapRequestsAdmin();
        app.MapFallback("{**path}", emulator.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Uri = new Uri(address);
        return emulator;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var requestId = Guid.NewGuid().ToString();
        var body = await ReadBodyAsync(request, context.RequestAborted);
        var target = request.Headers["X-Amz-Target"].ToString();
        var authorization = SigV4Verifier.Parse(request.Headers.Authorization.ToString());
        var parameters = target.Length == 0 ? ReadQueryParameters(request, body) : new Dictionary<string, string>();
        var service = authorization?.Service ?? InferService(target, parameters.GetValueOrDefault("Version"));
        var protocol = target.Length > 0 ? (service is AwsServiceNames.CostExplorer or AwsServiceNames.CertificateManager or AwsServiceNames.Wafv2 ? AwsProtocol.Json11 : AwsProtocol.Json10) : AwsProtocol.Query;
        var action = target.Length > 0 ? target[(target.LastIndexOf('.') + 1)..] : parameters.GetValueOrDefault("Action", "");
        var response = new AwsResponseWriter(context, service, protocol, requestId);
        try
        {
            if (authorization is null)
            {
                throw MissingAuthentication(protocol);
            }
            if (!SigV4Verifier.Verify(request, body, authorization))
            {
                throw SignatureMismatch(protocol);
            }
            var region = RegionFor(authorization.Region, protocol);
            Requests.Add(service, action);
            var fault = _faults.Evaluate(service, action);
            if (fault.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }
            if (fault.Error is { } error)
            {
                throw FaultError(service, protocol, error);
            }
            switch (service, protocol)
            {
                case (AwsServiceNames.Elbv2, AwsProtocol.Query):
                    RequireVersion(parameters, Elbv2QueryApi.Version, action);
                    await response.WriteQueryAsync(Elbv2QueryApi.Ns, action, region.Elbv2.Handle(action, new QueryParameters(parameters)));
                    break;
                case (AwsServiceNames.CloudWatch, AwsProtocol.Query):
                    RequireVersion(parameters, CloudWatchApi.Version, action);
                    await response.WriteQueryAsync(CloudWatchApi.Ns, action, region.CloudWatch.HandleQuery(action, new QueryParameters(parameters)));
                    break;
                case (AwsServiceNames.CloudWatch, AwsProtocol.Json10):
                    RequirePrefix(target, CloudWatchApi.TargetPrefix, action);
                    await response.WriteJsonAsync(region.CloudWatch.HandleJson(action, ParseJson(body)));
                    break;
                case (AwsServiceNames.CostExplorer, AwsProtocol.Json11):
                    RequirePrefix(target, CostExplorerApi.TargetPrefix, action);
                    await response.WriteJsonAsync(_costExplorer.Handle(action, ParseJson(body)));
                    break;
                case (AwsServiceNames.Ec2, AwsProtocol.Query):
                    RequireVersion(parameters, Ec2QueryApi.Version, action);
                    await response.WriteEc2Async(action, region.Ec2.Handle(action, parameters));
                    break;
                case (AwsServiceNames.CertificateManager, AwsProtocol.Json11):
                    RequirePrefix(target, AcmApi.TargetPrefix, action);
                    await response.WriteJsonAsync(region.Acm.Handle(action, ParseJson(body)));
                    break;
                case (AwsServiceNames.Wafv2, AwsProtocol.Json11):
                    RequirePrefix(target, Wafv2Api.TargetPrefix, action);
                    await response.WriteJsonAsync(region.Wafv2.Handle(action, ParseJson(body)));
                    break;
                default:
                    throw new AwsApiException(protocol == AwsProtocol.Query ? "InvalidAction" : "UnknownOperationException",
                        $"The sandbox does not emulate service '{service}' over {protocol}; it serves elasticloadbalancing (Query), monitoring (JSON 1.0 or Query), ce, acm and wafv2 (JSON 1.1) and ec2 (Query)");
            }
        }
        catch (AwsApiException error)
        {
            LogError(_logger, service, action, error.Code, error.Message);
            await response.WriteErrorAsync(error);
        }
    }

    private static void RequireVersion(Dictionary<string, string> parameters, string version, string action)
    {
        if (action.Length == 0)
        {
            throw new AwsApiException("MissingAction", "Request is missing the Action parameter");
        }
        if (parameters.GetValueOrDefault("Version") != version)
        {
            throw new AwsApiException("InvalidAction", $"Could not find operation {action} for version {parameters.GetValueOrDefault("Version") ?? "NO_VERSION_SPECIFIED"}");
        }
    }

    private static void RequirePrefix(string target, string prefix, string action)
    {
        if (!target.StartsWith(prefix + ".", StringComparison.Ordinal))
        {
            throw new AwsApiException("UnknownOperationException", $"Operation {action} is not known; X-Amz-Target must begin with '{prefix}.'");
        }
    }

    private static JsonElement ParseJson(byte[] body)
    {
        if (body.Length == 0)
        {
            return JsonDocument.Parse("{}").RootElement;
        }
        try
        {
            return JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException error)
        {
            throw new AwsApiException("SerializationException", $"The request body is not valid JSON: {error.Message}");
        }
    }

    private static string InferService(string target, string? version) =>
        target.StartsWith(CloudWatchApi.TargetPrefix, StringComparison.Ordinal) ? AwsServiceNames.CloudWatch
        : target.StartsWith(CostExplorerApi.TargetPrefix, StringComparison.Ordinal) ? AwsServiceNames.CostExplorer
        : target.StartsWith(AcmApi.TargetPrefix, StringComparison.Ordinal) ? AwsServiceNames.CertificateManager
        : target.StartsWith(Wafv2Api.TargetPrefix, StringComparison.Ordinal) ? AwsServiceNames.Wafv2
        : version == CloudWatchApi.Version ? AwsServiceNames.CloudWatch
        : version == Ec2QueryApi.Version ? AwsServiceNames.Ec2
        : AwsServiceNames.Elbv2;

    private static AwsApiException MissingAuthentication(AwsProtocol protocol) => protocol == AwsProtocol.Query
        ? new AwsApiException("MissingAuthenticationToken", "Request is missing Authentication Token", HttpStatusCode.Forbidden)
        : new AwsApiException("MissingAuthenticationTokenException", "Missing Authentication Token", HttpStatusCode.Forbidden);

    private static AwsApiException SignatureMismatch(AwsProtocol protocol) => new(
        protocol == AwsProtocol.Query ? "SignatureDoesNotMatch" : "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        HttpStatusCode.Forbidden);

    private static AwsApiException FaultError(string service, AwsProtocol protocol, AwsFaultRule rule)
    {
        if (rule.Kind == AwsFaultKind.Throttle)
        {
            return service == AwsServiceNames.CostExplorer
                ? new AwsApiException("LimitExceededException", "You have exceeded the rate limit for this operation")
                : new AwsApiException("Throttling", "Rate exceeded");
        }
        var status = (HttpStatusCode)rule.StatusCode;
        var unavailable = status == HttpStatusCode.ServiceUnavailable;
        return (protocol, unavailable) switch
        {
            (AwsProtocol.Query, true) => new AwsApiException("ServiceUnavailable", "Service is unavailable. Please try again later.", status),
            (AwsProtocol.Query, false) => new AwsApiException("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", status),
            (_, true) => new AwsApiException("ServiceUnavailableException", "Service is unavailable. Please try again later.", status),
            _ => new AwsApiException(service == AwsServiceNames.CloudWatch ? "InternalServiceError" : "InternalFailure",
                "The request processing has failed because of an unknown error, exception or failure.", status),
        };
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new BadHttpRequestException($"Request body exceeds {MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static Dictionary<string, string> ReadQueryParameters(HttpRequest request, byte[] body)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            result[key] = value.ToString();
        }
        if (body.Length > 0)
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                result[key] = value.ToString();
            }
        }
        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "AWS {Service} {Action} answered {Code}: {Message}")]
    private static partial void LogError(ILogger logger, string service, string action, string code, string message);
}

/// <summary>Writes success and error responses in the shape of one request's protocol.</summary>
internal sealed partial class AwsResponseWriter(HttpContext context, string service, AwsProtocol protocol, string requestId)
{
    public async Task WriteQueryAsync(XNamespace ns, string action, IEnumerable<XElement> result)
    {
        var document = new XElement(ns + (action + "Response"),
            new XElement(ns + (action + "Result"), result),
            new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", requestId)));
        await WriteAsync(HttpStatusCode.OK, "text/xml", document.ToString(SaveOptions.DisableFormatting));
    }

    public Task WriteJsonAsync(JsonNode result) =>
        WriteAsync(HttpStatusCode.OK, JsonContentType, result.ToJsonString());

    public async Task WriteErrorAsync(AwsApiException error)
    {
        if (protocol == AwsProtocol.Query && service == AwsServiceNames.Ec2)
        {
            await WriteEc2ErrorAsync(error);
            return;
        }
        if (protocol == AwsProtocol.Query)
        {
            XNamespace ns = service == AwsServiceNames.CloudWatch ? CloudWatchApi.Ns : Elbv2QueryApi.Ns;
            var document = new XElement(ns + "ErrorResponse",
                new XElement(ns + "Error",
                    new XElement(ns + "Type", error.IsSenderFault ? "Sender" : "Receiver"),
                    new XElement(ns + "Code", error.Code),
                    new XElement(ns + "Message", error.Message)),
                new XElement(ns + "RequestId", requestId));
            await WriteAsync(error.StatusCode, "text/xml", document.ToString(SaveOptions.DisableFormatting));
            return;
        }
        if (service == AwsServiceNames.CloudWatch)
        {
            // CloudWatch is "awsQueryCompatible": SDKs read the Query error code from this header.
            context.Response.Headers["x-amzn-query-error"] = $"{error.Code};{(error.IsSenderFault ? "Sender" : "Receiver")}";
        }
        var type = error.Code is "ValidationError" or "ValidationException" ? "com.amazon.coral.validate#ValidationException" : error.Code;
        var body = new JsonObject { ["__type"] = type, ["message"] = error.Message };
        await WriteAsync(error.StatusCode, JsonContentType, body.ToJsonString());
    }

    private string JsonContentType => protocol == AwsProtocol.Json11 ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0";

    private async Task WriteAsync(HttpStatusCode status, string contentType, string text)
    {
        var response = context.Response;
        response.StatusCode = (int)status;
        response.ContentType = contentType;
        response.Headers["x-amzn-RequestId"] = requestId;
        await response.WriteAsync(text, context.RequestAborted);
    }
}
