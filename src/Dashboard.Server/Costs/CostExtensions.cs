using System.Globalization;
using Dashboard.Client.Authorization;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Sandbox;
using Dashboard.Server.Authentication;
using Dashboard.Server.Aws;
using Dashboard.Server.Kubernetes;
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
    /// served to pages through <see cref="IDashboardFeed.CostReport"/>). Needs the AWS clients and the inventory.
    /// </summary>
    public static IServiceCollection AddDashboardCosts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CostOptions>().Bind(configuration.GetSection(CostOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CostOptions>, ValidateCostOptions>();
        services.AddSingleton(sp =>
        {
            var sandbox = AwsExtensions.IsSandbox(configuration);
            var region = sp.GetService<AwsSandboxEndpoint>()?.Region ?? sp.GetRequiredService<IOptions<AwsOptions>>().Value.Region;
            return new CostEnvironment(region, sandbox ? sp.GetService<IOptions<SandboxOptions>>()?.Value.ClusterName : null);
        });
        LoadBalancers.LoadBalancersExtensions.AddAwsCallMetering(services);
        services.AddSingleton<CostService>();
        services.AddSingleton<CostReportFeed>();
        services.AddSingleton<Inventory.ICostReportFeed>(sp => sp.GetRequiredService<CostReportFeed>());
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
            await CostCsv.WriteAsync(report, writer, cancellationToken);
        })
        .RequireAuthorization(DashboardPolicies.CostReader)
        .RequireRateLimiting(DashboardRateLimiting.ExpensivePolicy)
        .WithName("CostExport");
        return app;
    }
}

/// <summary>
/// Builds the report at start (once the Kubernetes inventory has synced, so orphans are judged on real data) and keeps
/// it fresh; each part's own cache decides whether a refresh calls AWS.
/// </summary>
public sealed partial class CostRefreshService(CostService costs, SourceStatusRegistry sources, IOptions<CostOptions> options, TimeProvider time, ILogger<CostRefreshService> logger) : BackgroundService
{
    private static readonly TimeSpan InventoryWait = TimeSpan.FromSeconds(30);

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
        var waitUntil = time.GetUtcNow() + InventoryWait;
        while (sources.Get(KubernetesCaches.SourceKey)?.State != Client.Model.SourceState.Live && time.GetUtcNow() < waitUntil)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken);
        }
        var interval = options.Value.BalancerRefresh < options.Value.UsageRefresh ? options.Value.BalancerRefresh : options.Value.UsageRefresh;
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
            await Task.Delay(interval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Building the cost report failed; the previous report stays")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
