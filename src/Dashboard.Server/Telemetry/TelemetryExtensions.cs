using Dashboard.Client.Authorization;
using Dashboard.Server.Aws;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.ScaleOut;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dashboard.Server.Telemetry;

/// <summary>
/// OpenTelemetry (<c>Dashboard:Telemetry</c> and the standard <c>OTEL_*</c> settings): traces of requests served and of
/// the HTTP calls to AWS and Kubernetes (named by the AWS operation), the dashboard's own metrics, and logs with the same
/// trace ids. Exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; <c>/metrics</c> (Prometheus text)
/// only when <c>Dashboard:Telemetry:Prometheus</c> is true, behind the Viewer policy like every other page.
/// </summary>
public static class TelemetryExtensions
{
    public const string SectionName = "Dashboard:Telemetry";

    public static WebApplicationBuilder AddDashboardTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheus = configuration.GetValue($"{SectionName}:Prometheus", false);
        builder.Services.AddSingleton<DashboardTelemetry>();
        builder.Services.AddHostedService<TelemetryGauges>();
        builder.Services.AddSingleton<CircuitCounter>();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitCounter>().Handler());
        // Console and every other logger carry the trace and span ids of the request or round they log for.
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (!otlp && !prometheus)
        {
            // Off by default: the instruments still count (IMeterFactory), nothing is collected or sent.
            return builder;
        }
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: configuration["OTEL_SERVICE_NAME"] ?? "endpoint-dashboard",
                serviceInstanceId: configuration[$"{LeadershipOptions.SectionName}:Identity"] ?? Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(DashboardTelemetry.Name, AwsCallStatistics.MeterName, PipelineMetrics.FeedMeterName, PipelineMetrics.KubernetesMeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(DashboardTelemetry.Name)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/healthz"))
                .AddHttpClientInstrumentation(options => options.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    // AWS calls are named by their operation (semantic conventions for RPC over AWS APIs).
                    if (request.Options.TryGetValue(AwsTransport.ServiceOption, out var service)
                        && request.Options.TryGetValue(AwsTransport.ActionOption, out var action))
                    {
                        activity.DisplayName = $"{service}.{action}";
                        activity.SetTag("rpc.system", "aws-api");
                        activity.SetTag("rpc.service", service);
                        activity.SetTag("rpc.method", action);
                    }
                }));
        if (otlp)
        {
            // Endpoint, protocol, headers and timeouts from the standard OTEL_EXPORTER_OTLP_* settings.
            telemetry.UseOtlpExporter();
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
        }
        return builder;
    }

    /// <summary>Maps <c>/metrics</c> when <c>Dashboard:Telemetry:Prometheus</c> is true (Viewer, like everything else).</summary>
    public static WebApplication MapDashboardTelemetry(this WebApplication app)
    {
        if (app.Configuration.GetValue($"{SectionName}:Prometheus", false))
        {
            app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(DashboardPolicies.Viewer);
        }
        return app;
    }
}

/// <summary>The gauges read at collection time: feed subscribers, leader state.</summary>
internal sealed class TelemetryGauges(DashboardTelemetry telemetry, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var leadership = services.GetService<IReplicaLeadership>();
        var sources = services.GetService<SourceStatusRegistry>();
        var snapshots = services.GetService<AwsSnapshotStore>();
        telemetry.Observe("dashboard.leader", "{replica}", "1 while this replica holds the Lease and polls AWS, else 0.",
            () => leadership is null ? [] : [new(leadership.IsLeader ? 1 : 0, new KeyValuePair<string, object?>("dashboard.replica", leadership.Replica))]);
        telemetry.Observe("dashboard.source.state", "{source}", "Each data source by state: 1 for its current state (syncing, live, stale).",
            () => sources is null ? [] : sources.Broadcaster.Current.Values.Select(s => new System.Diagnostics.Metrics.Measurement<long>(1,
                new KeyValuePair<string, object?>("dashboard.source", s.Key), new KeyValuePair<string, object?>("dashboard.source.state", s.State.ToString().ToLowerInvariant()))));
        telemetry.Observe("dashboard.feed.subscribers", "{subscriber}", "Subscribers of the source status feed (one per open page).",
            () => sources is null ? [] : [new(sources.Broadcaster.SubscriberCount)]);
        var calls = services.GetService<AwsCallStatistics>();
        telemetry.Observe("dashboard.aws.cloudwatch.metrics_requested", "{metric}", "CloudWatch metrics requested since start (GetMetricData bills per metric).",
            () => calls is null ? [] : [new(calls.Snapshot().CloudWatchMetricsRequested)]);
        var costs = services.GetService<Costs.CostService>();
        telemetry.Observe("dashboard.aws.costexplorer.requests", "{request}", "Cost Explorer requests since start (USD 0.01 each).",
            () => costs is null ? [] : [new(costs.CostExplorerRequests)]);
        var circuits = services.GetService<CircuitCounter>();
        telemetry.Observe("dashboard.circuits", "{circuit}", "Open Blazor circuits (one per browser tab showing a page).",
            () => circuits is null ? [] : [new(circuits.Open)]);
        var poller = services.GetService<AwsPoller>();
        telemetry.Observe("dashboard.aws.poll.queue_depth", "{read}", "AWS reads that were due at the end of the leader's last polling round but left for later (ELBv2 budget or back-off).",
            () => poller is null || leadership is { IsLeader: false } ? [] : [new(poller.PendingReads)]);
        telemetry.Observe("dashboard.aws.viewed_target_groups", "{target_group}", "Target groups a page is viewing (read at the fast interval).",
            () => snapshots is null ? [] : [new(snapshots.ViewedTargetGroups.Count)]);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Counts open Blazor circuits for <c>dashboard.circuits</c>.</summary>
internal sealed class CircuitCounter
{
    private long _open;

    public long Open => Interlocked.Read(ref _open);

    public Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler Handler() => new Counting(this);

    private sealed class Counting(CircuitCounter counter) : Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler
    {
        public override Task OnCircuitOpenedAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref counter._open);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref counter._open);
            return Task.CompletedTask;
        }
    }
}
