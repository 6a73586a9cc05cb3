using System.Net;
using Dashboard.Server.Aws;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// Counts every request an AWS client sends into <see cref="AwsCallStatistics"/>, with its outcome. It sits inside the
/// retry handler, so each attempt counts: AWS charges its throttling bucket per attempt too.
/// </summary>
internal sealed class AwsCallMeteringHandler(AwsCallStatistics statistics, string service) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var action = request.Options.TryGetValue(AwsTransport.ActionOption, out var name) ? name : await QueryActionAsync(request, cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            statistics.Record(service, action, AwsCallOutcome.Unreachable, exception.GetType().Name);
            throw;
        }
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            statistics.Record(service, action, AwsCallOutcome.Success);
            if (request.Options.TryGetValue(AwsTransport.BilledUnitsOption, out var units))
            {
                statistics.RecordBilledUnits(service, action, units);
            }
        }
        else if (status >= 500)
        {
            statistics.Record(service, action, AwsCallOutcome.ServerError, $"HTTP {status}");
        }
        else
        {
            var error = await AwsError.ReadAsync(response, cancellationToken);
            var throttled = response.StatusCode == HttpStatusCode.TooManyRequests || AwsError.IsThrottlingCode(error.Code);
            statistics.Record(service, action, throttled ? AwsCallOutcome.Throttled : AwsCallOutcome.ClientError, $"HTTP {status} {error.Code}".TrimEnd());
        }
        return response;
    }

    /// <summary>
    /// The action of a request an AWS SDK built (it sets no <see cref="AwsTransport.ActionOption"/>): the <c>Action</c>
    /// field of a Query-protocol form body (EC2), or the operation of a JSON <c>X-Amz-Target</c>.
    /// </summary>
    internal static async Task<string> QueryActionAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.FirstOrDefault() is { } target)
        {
            return target[(target.LastIndexOf('.') + 1)..];
        }
        if (request.Content is { Headers.ContentType.MediaType: "application/x-www-form-urlencoded" } content)
        {
            // Buffered, so the body is still there for the handler that sends it.
            await content.LoadIntoBufferAsync(cancellationToken);
            var form = System.Web.HttpUtility.ParseQueryString(await content.ReadAsStringAsync(cancellationToken));
            if (form["Action"] is { Length: > 0 } action)
            {
                return action;
            }
        }
        return "unknown";
    }
}
