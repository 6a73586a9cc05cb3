using Dashboard.Server.ScaleOut;

namespace Dashboard.Server.Tests.ScaleOut;

/// <summary>Dashboard:Leadership refused with every bad key named and its fix; the defaults pass.</summary>
public sealed class LeadershipOptionsTests
{
    [Fact]
    public void Bad_leadership_settings_are_refused_with_the_key_and_the_fix()
    {
        var result = new ValidateLeadershipOptions().Validate(null, new LeadershipOptions
        {
            Mode = "Raft",
            LeaseName = "Endpoint_Dashboard",
            LeaseDuration = TimeSpan.FromSeconds(5),
            RenewDeadline = TimeSpan.FromSeconds(10),
        });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Dashboard:Leadership:Mode 'Raft' is not known. Use Auto, Lease or Single.", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Dashboard:Leadership:LeaseName must be a Kubernetes object name", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Dashboard:Leadership:LeaseDuration must be longer than RenewDeadline", StringComparison.Ordinal));
        Assert.True(new ValidateLeadershipOptions().Validate(null, new LeadershipOptions()).Succeeded);
    }

    [Fact]
    public void The_identity_is_the_configured_one_else_the_pod_name_else_host_and_process()
    {
        Assert.Equal("replica-x", new LeadershipOptions { Identity = " replica-x " }.EffectiveIdentity);
        var fallback = new LeadershipOptions().EffectiveIdentity;
        Assert.Equal(Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}", fallback);
        Assert.Equal("dashboards", new LeadershipOptions { Namespace = "dashboards" }.EffectiveNamespace);
    }
}
