using Microsoft.Extensions.Options;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// Runs <see cref="AwsPoller"/> rounds once a second (sooner when a page starts viewing a target group), while this
/// replica is the polling leader. A failing round is logged and the loop goes on: AWS trouble never stops the server.
/// </summary>
public sealed partial class AwsPollingHostedService(
    AwsPoller poller,
    AwsSnapshotStore store,
    IPollingLeadership leadership,
    IOptions<AwsPollingOptions> options,
    TimeProvider time,
    ILogger<AwsPollingHostedService> logger,
    Telemetry.DashboardTelemetry? telemetry = null) : BackgroundService
{
    /// <summary>Time between rounds; each round does only what is due, so this is the scheduling resolution.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            poller.PublishInitialStatus($"AWS polling is turned off ({AwsPollingOptions.SectionName}:Enabled is false)");
            LogDisabled(logger);
            return;
        }
        poller.PublishInitialStatus();
        var leading = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var viewsAdded = store.ViewsAdded;
            if (leadership.IsLeader)
            {
                try
                {
                    if (!leading)
                    {
                        // Becoming the poller (start-up, or a failover): continue from what was published, if newer.
                        leading = true;
                        poller.TakeOver(store.Current);
                    }
                    using var activity = Telemetry.DashboardTelemetry.Source.StartActivity("aws.poll");
                    var started = time.GetTimestamp();
                    await poller.PollAsync(stoppingToken);
                    telemetry?.PollDuration.Record(time.GetElapsedTime(started).TotalSeconds);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    LogRoundFailed(logger, exception);
                }
            }
            else
            {
                leading = false;
            }
            try
            {
                await Task.WhenAny(Task.Delay(Tick, time, stoppingToken), viewsAdded);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "AWS polling is turned off (Dashboard:Aws:Polling:Enabled is false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "An AWS polling round failed unexpectedly; the next round runs as usual")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
