using Amazon.Runtime;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Aws.CostExplorer;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Tests.Aws;

/// <summary>
/// The AWS clients as the server registers them (<see cref="AwsExtensions.AddDashboardAws(IServiceCollection, IConfiguration)"/>),
/// in live mode, region eu-west-1, every endpoint pointed at a <see cref="CannedAwsServer"/>, short retry delays,
/// logs captured by a FakeLogCollector.
/// </summary>
internal sealed class AwsTestHost : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLETESTKEY01";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "eu-west-1";
    public const int MaxAttempts = 4;

    private readonly ServiceProvider _services;

    private AwsTestHost(CannedAwsServer server, ServiceProvider services)
    {
        Server = server;
        _services = services;
    }

    public CannedAwsServer Server { get; }

    public IElasticLoadBalancingClient ElasticLoadBalancing => _services.GetRequiredService<IElasticLoadBalancingClient>();
    public ICloudWatchClient CloudWatch => _services.GetRequiredService<ICloudWatchClient>();
    public ICostExplorerClient CostExplorer => _services.GetRequiredService<ICostExplorerClient>();
    public FakeLogCollector Logs => _services.GetFakeLogCollector();
    public IServiceProvider Services => _services;

    public static async Task<AwsTestHost> StartAsync(AWSCredentials? credentials = null, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var server = await CannedAwsServer.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["Dashboard:Source"] = "Cluster",
            ["Dashboard:Aws:Region"] = Region,
            ["Dashboard:Aws:Endpoints:ElasticLoadBalancing"] = server.Url.ToString(),
            ["Dashboard:Aws:Endpoints:CloudWatch"] = server.Url.ToString(),
            ["Dashboard:Aws:Endpoints:CostExplorer"] = server.Url.ToString(),
            ["Dashboard:Aws:Retry:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dashboard:Aws:Retry:BaseDelay"] = "00:00:00.010",
            ["Dashboard:Aws:Retry:MaxDelay"] = "00:00:00.050",
            ["Dashboard:Aws:Retry:AttemptTimeout"] = "00:00:10",
            ["Dashboard:Aws:Retry:TotalTimeout"] = "00:00:30",
        };
        foreach (var setting in settings ?? new Dictionary<string, string?>())
        {
            values[setting.Key] = setting.Value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddDashboardAws(configuration);
        configure?.Invoke(services);
        if (credentials is not null || !values.ContainsKey("Dashboard:Aws:Profile"))
        {
            // Tests never walk the real default chain: it could reach for instance metadata off this machine.
            services.AddSingleton(credentials ?? new BasicAWSCredentials(AccessKey, SecretKey));
        }
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<IOptions<AwsOptions>>().Value;
        return new AwsTestHost(server, provider);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
