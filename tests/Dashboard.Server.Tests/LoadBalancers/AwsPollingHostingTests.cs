using Dashboard.Benchmarks;
using Dashboard.Client.Model;
using Dashboard.Sandbox;
using Dashboard.Server.Aws;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Dashboard.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.LoadBalancers;

/// <summary>The pollers as the server hosts them: registered by AddDashboardAws, run by their hosted loop in real time.</summary>
public sealed class AwsPollingHostingTests
{
    [Fact]
    public async Task The_hosted_loop_reads_the_sandbox_soon_after_start_and_reports_aws_live()
    {
        await using var sandbox = await SandboxHost.StartAsync(
            new SandboxOptions { KubernetesUrl = "http://127.0.0.1:0", AwsUrl = "http://127.0.0.1:0", LoadScenario = false }, loggerFactory: null, CancellationToken.None);
        var (_, listener) = sandbox.AwsWorld.AddAlb("hosted-alb");
        var group = sandbox.AwsWorld.AddGroup(listener, "hosted", 1, targets: 2);
        using var host = BuildHost(new Dictionary<string, string?>
        {
            ["Dashboard:Source"] = "Sandbox",
            ["Sandbox:AwsUrl"] = sandbox.AwsUri.ToString(),
        });
        var source = host.Services.GetRequiredService<IAwsSnapshotSource>();
        var sources = host.Services.GetRequiredService<SourceStatusRegistry>();
        using var timeout = new CancellationTokenSource(Patience.Eventually);

        // Woken by each published snapshot; the status is published before the snapshot that completes the first read.
        var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(AwsSnapshot snapshot)
        {
            if (snapshot.TargetHealth.ContainsKey(group.Arn) && sources.Get(AwsPoller.SourceKey)?.State == SourceState.Live)
            {
                read.TrySetResult();
            }
        }
        source.Changed += Check;

        await host.StartAsync(timeout.Token);
        Check(source.Current);
        await read.Task.WaitAsync(timeout.Token);
        source.Changed -= Check;

        Assert.Equal(2, source.Current.TargetHealth[group.Arn].Targets.Length);
        Assert.Single(source.Current.LoadBalancers);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Missing_credentials_in_live_mode_give_one_clear_stale_status_and_no_crash()
    {
        var time = new FakeTimeProvider(AwsPollingWorld.Start);
        await using var aws = await SimulatedAwsPolling.StartAsync(time, time.Advance, new Dictionary<string, string?>
        {
            ["Dashboard:Source"] = "Cluster",
            ["Dashboard:Aws:Region"] = "us-east-1",
            ["Dashboard:Aws:Profile"] = "no-such-profile-for-dashboard-tests",
            // Nothing listens on the discard port: should anything get past the missing credentials, it goes nowhere.
            ["Dashboard:Aws:Endpoints:ElasticLoadBalancing"] = "http://127.0.0.1:9",
            ["Dashboard:Aws:Endpoints:CloudWatch"] = "http://127.0.0.1:9",
        });

        await aws.StepAsync(TimeSpan.FromMinutes(2));

        var status = aws.Sources.Get(AwsPoller.SourceKey)!;
        Assert.Equal(SourceState.Stale, status.State);
        Assert.Contains("AWS profile 'no-such-profile-for-dashboard-tests'", status.Message);
        Assert.Contains("aws configure", status.Message);
        Assert.DoesNotContain(" at ", status.Message);
        Assert.Null(status.LastGoodAt);
        Assert.Same(AwsSnapshot.Empty, aws.Store.Current);
        // Backing off while the credentials stay missing: a few attempts, not one a second.
        Assert.InRange(aws.Statistics.Snapshot().ElasticLoadBalancing, 0, 0);
        Assert.InRange(aws.Poller.ElbBackoff.ConsecutiveFailures, 3, 10);
    }

    [Fact]
    public void Bad_polling_settings_are_refused_with_the_key_and_the_fix()
    {
        var result = new ValidateAwsPollingOptions().Validate(null, new AwsPollingOptions
        {
            FastInterval = TimeSpan.Zero,
            SweepElbCallsPerMinute = 500,
            MaxElbCallsPerMinute = 100,
            Jitter = 2,
        });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Dashboard:Aws:Polling:FastInterval must be a positive time span", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Dashboard:Aws:Polling:SweepElbCallsPerMinute must be between 1 and Dashboard:Aws:Polling:MaxElbCallsPerMinute (100)", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Dashboard:Aws:Polling:Jitter", StringComparison.Ordinal));
        Assert.True(new ValidateAwsPollingOptions().Validate(null, new AwsPollingOptions()).Succeeded);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddDashboardAws(builder.Configuration);
        builder.Services.AddDashboardLoadBalancers(builder.Configuration);
        return builder.Build();
    }
}
