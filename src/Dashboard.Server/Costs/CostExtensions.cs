using System.Globalization;
using Dashboard.Client.Authorization;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Authentication;
using Dashboard.Server.Aws;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Topology;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Costs;

/// <summary>The cost report (Dashboard:Costs): the service, its background refresh and the CSV export.</summary>
public static class CostExtensions
{
    public static WebApplicationBuilder AddDashboardCosts(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardCosts(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Registers <see cref="CostService"/>, its refresh loop and <see cref="CostReportFeed"/> (the report as a live feed,
    /// served to pages through <see cref="IDashboardFeed.CostReport"/>). Reads the topology (<c>AddDashboardTopology</c>)
    /// and the AWS snapshot (<c>AddDashboardAws</c>), and asks the poller to read the balancers' usage every
    /// <see cref="CostOptions.UsageRefresh"/>.
    /// </summary>
    public static IServiceCollection AddDashboardCosts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CostOptions>().Bind(configuration.GetSection(CostOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CostOptions>, ValidateCostOptions>();
        // The usage the report prices joins the one AWS snapshot; the cluster the report names is the topology's.
        services.AddOptions<AwsPollingOptions>().PostConfigure<IOptions<CostOptions>>((polling, costs) =>
        {
            polling.UsageInterval = costs.Value.UsageRefresh;
            polling.UsageRecentWindow = costs.Value.IdleWindow;
        });
        services.AddOptions<TopologyOptions>().PostConfigure<IOptions<CostOptions>>((topology, costs) =>
        {
            if (string.IsNullOrWhiteSpace(topology.ClusterName) && !string.IsNullOrWhiteSpace(costs.Value.ClusterName))
            {
                topology.ClusterName = costs.Value.ClusterName;
            }
        });
        services.AddSingleton(sp => new CostEnvironment(sp.GetService<AwsSandboxEndpoint>()?.Region ?? sp.GetRequiredService<IOptions<AwsOptions>>().Value.Region));
        LoadBalancersExtensions.AddAwsCallMetering(services);
        services.AddSingleton<CostService>();
        services.AddSingleton<CostReportFeed>();
        services.AddSingleton<Feed.ICostReportFeed>(sp => sp.GetRequiredService<CostReportFeed>());
        services.AddSingleton<ICostReportSource>(sp => sp.GetRequiredService<CostReportFeed>());
        services.AddHostedService<CostRefreshService>();
        return services;
    }

    /// <summary>Maps <c>GET /api/cost/export.csv</c>: CostReader only, rate limited as an expensive endpoint.</summary>
    public static WebApplication MapDashboardCosts(this WebApplication app)
    {
        app.MapGet("/" + DashboardUrls.CostExport, async (HttpContext context, ICostReportSource costs, CancellationToken cancellationToken) =>
        {
            var report = await costs.GetReportAsync(cancellationToken);
            var month = report.MonthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"load-balancer-cost-{month}.csv\"";
            context.Response.Headers.CacheControl = "no-store";
            await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false), leaveOpen: true);
            // The page's filters (ns, type, idle, sort) apply to the file, so it sums to the cards the user was looking at.
            await CostCsv.WriteAsync(report, CostQuery.Parse(context.Request.Path + context.Request.QueryString), writer, cancellationToken);
        })
        .RequireAuthorization(DashboardPolicies.CostReader)
        .RequireRateLimiting(DashboardRateLimiting.ExpensivePolicy)
        .WithName("CostExport");
        return app;
    }
}

/// <summary>
/// Builds the report at start (once the topology has joined the AWS snapshot, so owners and orphans are judged on real
/// data) and rebuilds it every <see cref="CostOptions.RebuildInterval"/>; each Cost Explorer part's own cache decides
/// whether a rebuild calls AWS.
/// </summary>
public sealed partial class CostRefreshService(CostService costs, TopologyFeed topology, IAwsSnapshotSource aws, IOptions<CostOptions> options, TimeProvider time,
    ILogger<CostRefreshService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstJoinWait = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down (also when the host fails to start and tears its services down).
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var waitUntil = time.GetUtcNow() + FirstJoinWait;
        while (!Joined() && time.GetUtcNow() < waitUntil)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await costs.RefreshAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Each part already keeps its last good value; a failure here is a bug, and the loop must live on.
                LogRefreshFailed(logger, exception);
            }
            await Task.Delay(options.Value.RebuildInterval, time, stoppingToken);
        }
    }

    /// <summary>Whether a join has seen the AWS snapshot's first listing.</summary>
    private bool Joined() => aws.Current.ConfigurationAsOf is not null && topology.Recomputes > 0 && topology.Current.LoadBalancers.Length == aws.Current.LoadBalancers.Length;

    [LoggerMessage(Level = LogLevel.Error, Message = "Building the cost report failed; the previous report stays")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
