using System.Diagnostics;
using Amazon.Runtime.Signing;
using Polly.Timeout;

namespace Dashboard.Server.Aws;

/// <summary>
/// Sends one AWS API call through the service's HttpClient (retry handler → SigV4 signing handler → sockets),
/// logs its outcome without headers, and turns every failure into <see cref="AwsServiceException"/>.
/// Hand-written because the official service packages that would do this are not obtainable here.
/// </summary>
internal sealed class AwsTransport(IHttpClientFactory httpClientFactory, IAwsEndpointResolver endpointResolver, AwsService service, ILogger logger)
{
    /// <summary>Request option naming the API action, read by the retry logging.</summary>
    public static readonly HttpRequestOptionsKey<string> ActionOption = new("Dashboard.Aws.Action");

    /// <summary>
    /// Request option: how many billed units the request carries when AWS charges per unit rather than per request
    /// (GetMetricData: the metrics requested). Read by the call metering.
    /// </summary>
    public static readonly HttpRequestOptionsKey<int> BilledUnitsOption = new("Dashboard.Aws.BilledUnits");

    /// <summary>Request option naming the service, read by the retry logging.</summary>
    public static readonly HttpRequestOptionsKey<string> ServiceOption = new("Dashboard.Aws.Service");

    private static readonly HttpRequestOptionsKey<string> SigningServiceOption = new(SigV4SigningHandler.ServiceOptionKey);
    private static readonly HttpRequestOptionsKey<string> SigningRegionOption = new(SigV4SigningHandler.RegionOptionKey);

    public AwsService Service => service;

    public static string HttpClientName(AwsService service) => $"Dashboard.Aws.{service.Name}";

    /// <summary>Posts <paramref name="content"/> to the service endpoint and returns the body of a 2xx answer.</summary>
    public Task<string> SendAsync(string action, Func<HttpContent> content, string? target, CancellationToken cancellationToken) =>
        SendAsync(action, content, target, billedUnits: 0, cancellationToken);

    /// <summary>As above, for a request AWS bills by <paramref name="billedUnits"/> (see <see cref="BilledUnitsOption"/>).</summary>
    public async Task<string> SendAsync(string action, Func<HttpContent> content, string? target, int billedUnits, CancellationToken cancellationToken)
    {
        var endpoint = endpointResolver.Resolve(service);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = content() };
        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }
        request.Options.Set(SigningServiceOption, service.SigningName);
        request.Options.Set(SigningRegionOption, endpoint.SigningRegion);
        request.Options.Set(ActionOption, action);
        request.Options.Set(ServiceOption, service.Name);
        if (billedUnits > 0)
        {
            request.Options.Set(BilledUnitsOption, billedUnits);
        }

        var client = httpClientFactory.CreateClient(HttpClientName(service));
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            AwsLog.CallUnreachable(logger, service.Name, action, endpoint.Url.Authority, elapsed.TotalMilliseconds, exception.GetType().Name);
            var message = exception is HttpRequestException
                ? $"could not reach {endpoint.Url.GetLeftPart(UriPartial.Authority)}: {exception.Message}"
                : $"no answer from {endpoint.Url.GetLeftPart(UriPartial.Authority)} in time";
            throw new AwsServiceException(service.Name, action, null, null, message, null, exception);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (response.IsSuccessStatusCode)
            {
                var requestId = FirstHeader(response, "x-amzn-RequestId");
                AwsLog.CallSucceeded(logger, service.Name, action, (int)response.StatusCode, requestId, elapsed.TotalMilliseconds);
                return body;
            }

            var error = AwsError.Parse(response, body);
            AwsLog.CallFailed(logger, service.Name, action, (int)response.StatusCode, error.Code, error.RequestId, elapsed.TotalMilliseconds);
            throw new AwsServiceException(service.Name, action, (int)response.StatusCode, error.Code, error.Message ?? response.ReasonPhrase, error.RequestId);
        }
    }

    private static string? FirstHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
