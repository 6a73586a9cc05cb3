using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Dashboard.Server.Aws;

/// <summary>
/// The retry pipeline around every AWS call: total timeout → retry (jittered exponential back-off) → per-attempt
/// timeout. It sits outside the signing handler, so each attempt is signed afresh. Retried: transport failures,
/// attempt timeouts, HTTP 5xx (but 501), 429, and HTTP 400 whose AWS error code means throttling — which the
/// standard handler would not retry because it cannot read the code.
/// </summary>
internal static class AwsResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, AwsRetryOptions options, ILogger logger)
    {
        pipeline.AddTimeout(options.TotalTimeout);
        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = ShouldRetryAsync,
                OnRetry = arguments => LogRetry(arguments, logger),
            });
        }
        pipeline.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>
    /// Polly reports every failed attempt and every retry at Warning; a throttled call that then succeeds is routine
    /// here (the dashboard logs its own line per retry and one when it gives up), so those go to Debug.
    /// </summary>
    public static Polly.Telemetry.ResilienceEventSeverity Severity(Polly.Telemetry.SeverityProviderArguments arguments) =>
        arguments.Event.EventName is "OnRetry" or "ExecutionAttempt" ? Polly.Telemetry.ResilienceEventSeverity.Debug : arguments.Event.Severity;

    public static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> arguments)
    {
        if (arguments.Outcome.Exception is not null)
        {
            return arguments.Outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }
        var response = arguments.Outcome.Result;
        if (response is null)
        {
            return false;
        }
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return response.StatusCode != HttpStatusCode.NotImplemented;
        }
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return true;
        }
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var error = await AwsError.ReadAsync(response, arguments.Context.CancellationToken);
            return AwsError.IsThrottlingCode(error.Code);
        }
        return false;
    }

    private static async ValueTask LogRetry(OnRetryArguments<HttpResponseMessage> arguments, ILogger logger)
    {
        var request = arguments.Context.GetRequestMessage();
        var service = request is not null && request.Options.TryGetValue(AwsTransport.ServiceOption, out var s) ? s : "?";
        var action = request is not null && request.Options.TryGetValue(AwsTransport.ActionOption, out var a) ? a : "?";
        string outcome;
        if (arguments.Outcome.Result is { } response)
        {
            var error = await AwsError.ReadAsync(response, arguments.Context.CancellationToken);
            outcome = $"HTTP {(int)response.StatusCode}{(error.Code is null ? string.Empty : " " + error.Code)}";
        }
        else
        {
            outcome = arguments.Outcome.Exception?.GetType().Name ?? "nothing";
        }
        AwsLog.Retrying(logger, service, action, arguments.AttemptNumber + 1, outcome, arguments.RetryDelay.TotalMilliseconds);
    }
}
