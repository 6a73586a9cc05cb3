using Dashboard.Client.Model;
using Dashboard.Server.Aws;
using Dashboard.Server.Feed;
using Dashboard.Server.Kubernetes;

namespace Dashboard.Server.LoadBalancers;

/// <summary>The poller's outcomes: per-call success and failure, the published status and the snapshot.</summary>
public sealed partial class AwsPoller
{
    // ---- outcome, status and snapshot ----------------------------------------------------------------------------

    private void Succeeded(string service, string action, RetryBackoff backoff)
    {
        var now = _time.GetUtcNow();
        backoff.Succeed();
        _lastSuccess[Key(service, action)] = now;
        var cleared = _failures.Remove(Key(service, action)) | _failures.Remove(Key(service, "credentials"));
        if (cleared && _failures.Count == 0)
        {
            LogRecovered(_logger);
        }
    }

    private void Failed(string service, string action, Exception exception, RetryBackoff backoff)
    {
        var now = _time.GetUtcNow();
        backoff.Fail(now);
        var message = Describe(service, action, exception);
        var key = exception is AwsCredentialsException ? Key(service, "credentials") : Key(service, action);
        if (!_failures.TryGetValue(key, out var previous) || previous.Message != message)
        {
            // The message only: it says what failed and how to fix it; a stack trace would help no operator here.
            LogFailed(_logger, message, backoff.Until ?? now);
        }
        DateTimeOffset? lastSuccess = _lastSuccess.TryGetValue(Key(service, action), out var at) ? at : null;
        _failures[key] = new Failure(message, now, lastSuccess, backoff);
    }

    private void Publish()
    {
        _synced |= _listedAt is not null && Configuration.AllRead && Health.AllRead;
        var lastGood = _lastSuccess.Count == 0 ? (DateTimeOffset?)null : _lastSuccess.Values.Max();
        // Failing calls are the parts, the latest failure first; without any, the source is one part good at its latest success.
        IReadOnlyList<SourcePart> parts = _failures.Count > 0
            ? [.. _failures.Values.OrderByDescending(f => f.At).Select(f => new SourcePart(SourceState.Stale, f.LastSuccess, f.Message, f.Backoff.Until))]
            : [new SourcePart(_synced ? SourceState.Live : SourceState.Syncing, lastGood)];
        var status = SourceStates.Combine(SourceKey, SourceDisplayName, parts, "AWS calls");
        // A live source's LastGoodAt moves every round; republish that alone only once per fast interval.
        var onlyAge = _publishedStatus is not null && status with { LastGoodAt = _publishedStatus.LastGoodAt } == _publishedStatus
            && status.LastGoodAt - _publishedStatus.LastGoodAt < _options.FastInterval;
        if (status != _publishedStatus && !onlyAge)
        {
            _publishedStatus = status;
            _sources.Publish(status);
        }
        // The snapshot after the status: whoever sees the snapshot that completes the first read sees AWS live.
        if (Configuration.Version != _publishedConfigurationVersion || !ReferenceEquals(Health.Health, _store.Current.TargetHealth) || _listedAt != _publishedListedAt
            || !ReferenceEquals(_usage, _store.Current.Usage) || !ReferenceEquals(_security, _store.Current.Security))
        {
            _publishedConfigurationVersion = Configuration.Version;
            _publishedListedAt = _listedAt;
            _store.Publish(new AwsSnapshot
            {
                LoadBalancers = Configuration.LoadBalancers,
                Listeners = Configuration.Listeners,
                Rules = Configuration.Rules,
                TargetGroups = Configuration.TargetGroups,
                LoadBalancerAttributes = Configuration.LoadBalancerAttributes,
                TargetGroupAttributes = Configuration.TargetGroupAttributes,
                Tags = Configuration.Tags,
                TargetHealth = Health.Health,
                Usage = _usage,
                Security = _security,
                ConfigurationAsOf = _listedAt,
            });
        }
    }

    internal static string Describe(string service, string action, Exception exception)
    {
        if (exception is AwsCredentialsException)
        {
            return exception.Message;
        }
        var e = (AwsServiceException)exception;
        var name = service == "ElasticLoadBalancing" ? "Elastic Load Balancing" : service;
        if (e.IsThrottling || e.StatusCode == 429)
        {
            return $"AWS is throttling {e.Action} ({e.ErrorCode ?? "HTTP 429"}); polling {name} less often until it recovers";
        }
        if (e.StatusCode is null)
        {
            return $"AWS {name} could not be reached for {e.Action}: {e.ErrorMessage}";
        }
        if (e.StatusCode >= 500)
        {
            return $"AWS {name} failed {e.Action} with HTTP {e.StatusCode}{(e.ErrorCode is null ? string.Empty : " " + e.ErrorCode)}";
        }
        return $"AWS {name} refused {e.Action} with HTTP {e.StatusCode}{(e.ErrorCode is null ? string.Empty : " " + e.ErrorCode)}: {e.ErrorMessage}";
    }

    private static string Key(string service, string action) => service + ":" + action;
}
