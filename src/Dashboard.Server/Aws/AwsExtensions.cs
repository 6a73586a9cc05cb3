using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Aws.CostExplorer;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Aws;

/// <summary>The AWS clients (Dashboard:Aws): ELBv2, CloudWatch, Cost Explorer, EC2 (AWSSDK.EC2), ACM, WAFv2.</summary>
public static class AwsExtensions
{
    public static WebApplicationBuilder AddDashboardAws(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardAws(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Registers <see cref="IElasticLoadBalancingClient"/>, <see cref="ICloudWatchClient"/> and
    /// <see cref="ICostExplorerClient"/>, their endpoint resolution, credentials and retry pipeline.
    /// In sandbox mode (<c>Dashboard:Source</c> = <c>Sandbox</c>, the default) every service goes to the sandbox's
    /// AWS endpoint (<see cref="AwsSandboxEndpoint"/>) with the dummy credentials.
    /// </summary>
    public static IServiceCollection AddDashboardAws(this IServiceCollection services, IConfiguration configuration)
    {
        var sandbox = IsSandbox(configuration);
        services.AddOptions<AwsOptions>()
            .Bind(configuration.GetSection(AwsOptions.SectionName))
            .PostConfigure(options =>
            {
                options.SandboxMode = sandbox;
                if (string.IsNullOrWhiteSpace(options.Region))
                {
                    options.Region = FirstSet(configuration["AWS_REGION"], configuration["AWS_DEFAULT_REGION"]);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsOptions>>(new ValidateAwsOptions(configuration)));

        if (sandbox)
        {
            services.TryAddSingleton(sp => CreateSandboxEndpoint(configuration));
            services.TryAddSingleton<IAwsEndpointResolver>(sp => sp.GetRequiredService<AwsSandboxEndpoint>());
            services.TryAddSingleton<AWSCredentials>(new BasicAWSCredentials(AwsSandboxEndpoint.AccessKey, AwsSandboxEndpoint.SecretKey));
        }
        else
        {
            services.TryAddSingleton<IAwsEndpointResolver>(sp => new ConfiguredAwsEndpointResolver(sp.GetRequiredService<IOptions<AwsOptions>>(), configuration));
            services.TryAddSingleton<AWSCredentials>(sp => new AwsCredentialChain(sp.GetRequiredService<IOptions<AwsOptions>>().Value.Profile));
        }

        foreach (var service in AwsService.All)
        {
            AddServiceHttpClient(services, service);
        }

        services.TryAddSingleton<IElasticLoadBalancingClient, ElasticLoadBalancingClient>();
        services.TryAddSingleton<ICloudWatchClient, CloudWatchClient>();
        services.TryAddSingleton<ICostExplorerClient, CostExplorerClient>();
        services.TryAddSingleton<Ec2.Ec2ClientProvider>();
        services.TryAddSingleton<CertificateManager.ICertificateManagerClient, CertificateManager.CertificateManagerClient>();
        services.TryAddSingleton<Waf.IWafV2Client, Waf.WafV2Client>();
        return services;
    }

    /// <summary>True unless <c>Dashboard:Source</c> names something other than the sandbox.</summary>
    public static bool IsSandbox(IConfiguration configuration) =>
        string.Equals(configuration["Dashboard:Source"] ?? "Sandbox", "Sandbox", StringComparison.OrdinalIgnoreCase);

    private static void AddServiceHttpClient(IServiceCollection services, AwsService service)
    {
        if (service.SignedBySdk)
        {
            // The SDK signs, retries and times out itself (Ec2ClientProvider); the call metering is added like everywhere.
            services.AddHttpClient(AwsTransport.HttpClientName(service))
                .RemoveAllLoggers()
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AutomaticDecompression = System.Net.DecompressionMethods.All,
                });
            return;
        }
        // Polly's own per-attempt and per-retry events at Debug (AwsResilience.Severity).
        services.Configure<Polly.Telemetry.TelemetryOptions>(telemetry => telemetry.SeverityProvider = AwsResilience.Severity);
        services.AddHttpClient(AwsTransport.HttpClientName(service))
            // The default HttpClient loggers could print request headers; AwsTransport logs what is safe instead.
            .RemoveAllLoggers()
            // The resilience pipeline owns timeouts (Dashboard:Aws:Retry); HttpClient's own 100 s would cut it short.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The signer is the primary handler, innermost: every retry passes through it and is signed afresh.
            .ConfigurePrimaryHttpMessageHandler(sp => new SigV4SigningHandler(
                sp.GetRequiredService<AWSCredentials>(),
                RegionEndpoint.USEast1, // default only: AwsTransport sets the signing region of every request.
                service.SigningName,
                new SocketsHttpHandler
                {
                    // A redirect followed below the signer would carry a signature for the wrong host.
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AutomaticDecompression = System.Net.DecompressionMethods.All,
                }))
            .AddResilienceHandler("aws", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<AwsOptions>>().Value;
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AwsResilience).FullName!);
                AwsResilience.Configure(pipeline, options.Retry, logger);
            });
    }

    private static AwsSandboxEndpoint CreateSandboxEndpoint(IConfiguration configuration)
    {
        var url = configuration["Sandbox:AwsUrl"];
        var region = FirstSet(configuration[$"{AwsOptions.SectionName}:Region"], configuration["Sandbox:Region"]) ?? "us-east-1";
        return new AwsSandboxEndpoint(new Uri(string.IsNullOrWhiteSpace(url) ? "http://127.0.0.1:4566" : url, UriKind.Absolute), region);
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
