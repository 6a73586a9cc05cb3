using Amazon.Runtime;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Tests.Aws;

public sealed class AwsOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDashboardAws(configuration);
        return services.BuildServiceProvider();
    }

    private static string ValidationErrors(Dictionary<string, string?> values)
    {
        using var provider = Build(values);
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AwsOptions>>().Value);
        return string.Join('\n', error.Failures);
    }

    [Fact]
    public void Outside_the_sandbox_a_region_is_required_and_the_error_names_the_key()
    {
        var errors = ValidationErrors(new() { ["Dashboard:Source"] = "Cluster" });

        Assert.Contains("Dashboard:Aws:Region is required", errors);
    }

    [Fact]
    public void Outside_the_sandbox_AWS_REGION_supplies_the_region()
    {
        using var provider = Build(new() { ["Dashboard:Source"] = "Cluster", ["AWS_REGION"] = "ap-southeast-1" });

        Assert.Equal("ap-southeast-1", provider.GetRequiredService<IOptions<AwsOptions>>().Value.Region);
    }

    [Fact]
    public void Bad_region_endpoint_and_retry_values_are_each_reported_with_their_key()
    {
        var errors = ValidationErrors(new()
        {
            ["Dashboard:Source"] = "Cluster",
            ["Dashboard:Aws:Region"] = "Frankfurt",
            ["Dashboard:Aws:Endpoints:CloudWatch"] = "monitoring.local",
            ["AWS_ENDPOINT_URL_COST_EXPLORER"] = "ftp://ce.example",
            ["Dashboard:Aws:Retry:MaxAttempts"] = "0",
        });

        Assert.Contains("Dashboard:Aws:Region 'Frankfurt'", errors);
        Assert.Contains("Dashboard:Aws:Endpoints:CloudWatch 'monitoring.local'", errors);
        Assert.Contains("AWS_ENDPOINT_URL_COST_EXPLORER 'ftp://ce.example'", errors);
        Assert.Contains("Dashboard:Aws:Retry:MaxAttempts", errors);
    }

    [Fact]
    public void The_sandbox_needs_no_region()
    {
        using var provider = Build(new() { ["Dashboard:Source"] = "Sandbox" });

        Assert.True(provider.GetRequiredService<IOptions<AwsOptions>>().Value.SandboxMode);
    }

    [Fact]
    public void Public_endpoints_follow_the_region_and_cost_explorer_stays_in_us_east_1()
    {
        using var provider = Build(new() { ["Dashboard:Source"] = "Cluster", ["Dashboard:Aws:Region"] = "eu-central-1" });
        var resolver = provider.GetRequiredService<IAwsEndpointResolver>();

        Assert.Equal(new AwsEndpoint(new Uri("https://elasticloadbalancing.eu-central-1.amazonaws.com/"), "eu-central-1"), resolver.Resolve(AwsService.ElasticLoadBalancing));
        Assert.Equal(new AwsEndpoint(new Uri("https://monitoring.eu-central-1.amazonaws.com/"), "eu-central-1"), resolver.Resolve(AwsService.CloudWatch));
        Assert.Equal(new AwsEndpoint(new Uri("https://ce.us-east-1.amazonaws.com/"), "us-east-1"), resolver.Resolve(AwsService.CostExplorer));
    }

    [Fact]
    public void The_china_partition_uses_its_own_dns_suffix()
    {
        using var provider = Build(new() { ["Dashboard:Source"] = "Cluster", ["Dashboard:Aws:Region"] = "cn-north-1" });

        Assert.Equal(new Uri("https://elasticloadbalancing.cn-north-1.amazonaws.com.cn/"), provider.GetRequiredService<IAwsEndpointResolver>().Resolve(AwsService.ElasticLoadBalancing).Url);
    }

    [Fact]
    public void Endpoint_overrides_go_configuration_then_service_variable_then_AWS_ENDPOINT_URL()
    {
        using var provider = Build(new()
        {
            ["Dashboard:Source"] = "Cluster",
            ["Dashboard:Aws:Region"] = "eu-west-1",
            ["Dashboard:Aws:Endpoints:ElasticLoadBalancing"] = "http://127.0.0.1:7001/",
            ["AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"] = "http://127.0.0.1:7002/",
            ["AWS_ENDPOINT_URL_CLOUDWATCH"] = "http://127.0.0.1:7003/",
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:7004/",
        });
        var resolver = provider.GetRequiredService<IAwsEndpointResolver>();

        Assert.Equal(new Uri("http://127.0.0.1:7001/"), resolver.Resolve(AwsService.ElasticLoadBalancing).Url);
        Assert.Equal(new Uri("http://127.0.0.1:7003/"), resolver.Resolve(AwsService.CloudWatch).Url);
        Assert.Equal(new AwsEndpoint(new Uri("http://127.0.0.1:7004/"), "us-east-1"), resolver.Resolve(AwsService.CostExplorer));
    }

    [Fact]
    public void Outside_the_sandbox_credentials_come_from_the_chain_with_the_configured_profile()
    {
        using var provider = Build(new() { ["Dashboard:Source"] = "Cluster", ["Dashboard:Aws:Region"] = "eu-west-1", ["Dashboard:Aws:Profile"] = "ops" });

        var chain = Assert.IsType<AwsCredentialChain>(provider.GetRequiredService<AWSCredentials>());
        Assert.Equal("ops", chain.Profile);
    }

    [Fact]
    public async Task In_the_sandbox_every_service_goes_to_the_sandbox_endpoint_with_the_dummy_credentials()
    {
        await using var server = await CannedAwsServer.StartAsync();
        using var provider = Build(new() { ["Sandbox:AwsUrl"] = "http://127.0.0.1:4566", ["Sandbox:Region"] = "us-west-2" });
        var sandbox = provider.GetRequiredService<AwsSandboxEndpoint>();
        Assert.Same(sandbox, provider.GetRequiredService<IAwsEndpointResolver>());
        Assert.Equal(new Uri("http://127.0.0.1:4566"), sandbox.Url);

        // What sandbox hosting does once the emulator listens on its chosen port.
        sandbox.Use(server.Url);
        server.RespondInOrder(CannedResponse.Xml(ElasticLoadBalancingSamples.TargetGroups));
        var groups = await provider.GetRequiredService<IElasticLoadBalancingClient>().DescribeTargetGroupsAsync();

        Assert.Single(groups);
        var request = Assert.Single(server.Requests);
        var authorization = SigV4Verifier.Parse(request.Header("Authorization")!);
        Assert.Equal(("sandbox", "us-west-2", "elasticloadbalancing"), (authorization.AccessKey, authorization.Region, authorization.Service));
        Assert.Equal(SigV4Verifier.ExpectedSignature(request, AwsSandboxEndpoint.SecretKey), authorization.Signature);
        Assert.Equal("us-east-1", sandbox.Resolve(AwsService.CostExplorer).SigningRegion);
    }
}
