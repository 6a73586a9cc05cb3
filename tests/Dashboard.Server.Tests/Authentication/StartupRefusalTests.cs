namespace Dashboard.Server.Tests.Authentication;

/// <summary>Missing, inconsistent or unsafe settings stop start-up with a message naming the keys.</summary>
public sealed class StartupRefusalTests
{
    [Fact]
    public void Unsecured_on_a_non_loopback_address_is_refused_with_what_to_set()
    {
        var message = StartupFailure(new Dictionary<string, string?>
        {
            ["Dashboard:Auth:Mode"] = "Unsecured",
            ["urls"] = "http://0.0.0.0:5000",
        });
        Assert.Contains("Dashboard:Auth:Mode is Unsecured", message, StringComparison.Ordinal);
        Assert.Contains("http://0.0.0.0:5000", message, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_URLS", message, StringComparison.Ordinal);
        Assert.Contains("EntraId or Oidc", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsecured_with_container_http_ports_is_refused()
    {
        var message = StartupFailure(new Dictionary<string, string?>
        {
            ["Dashboard:Auth:Mode"] = "Unsecured",
            ["http_ports"] = "8080",
        });
        Assert.Contains("*:8080", message, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_HTTP_PORTS", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsecured_with_a_public_kestrel_endpoint_is_refused()
    {
        var message = StartupFailure(new Dictionary<string, string?>
        {
            ["Dashboard:Auth:Mode"] = "Unsecured",
            ["Kestrel:Endpoints:Public:Url"] = "http://[::]:80",
        });
        Assert.Contains("Kestrel:Endpoints:Public:Url", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Oidc_without_client_id_is_refused_naming_the_key()
    {
        var message = StartupFailure(new Dictionary<string, string?>
        {
            ["Dashboard:Auth:Mode"] = "Oidc",
            ["Dashboard:Auth:Oidc:Authority"] = "https://idp.example.test",
            ["Dashboard:Auth:Oidc:ClientSecret"] = "s",
        });
        Assert.Contains("Dashboard:Auth:Oidc:ClientId is not set", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entra_without_tenant_and_client_is_refused_with_every_error_at_once()
    {
        var message = StartupFailure(new Dictionary<string, string?>
        {
            ["Dashboard:Auth:Mode"] = "EntraId",
        });
        Assert.Contains("Dashboard:Auth:EntraId:TenantId is not set", message, StringComparison.Ordinal);
        Assert.Contains("Dashboard:Auth:EntraId:ClientId is not set", message, StringComparison.Ordinal);
        Assert.Contains("Dashboard:Auth:EntraId:ClientSecret is not set", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_mode_is_refused_listing_the_modes()
    {
        var message = StartupFailure(new Dictionary<string, string?> { ["Dashboard:Auth:Mode"] = "Anonymous" });
        Assert.Contains("Dashboard:Auth:Mode is 'Anonymous', which is not a mode", message, StringComparison.Ordinal);
        Assert.Contains("Unsecured, EntraId, Oidc", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_failing_section_is_reported_at_once()
    {
        var message = StartupFailure(new Dictionary<string, string?>
        {
            ["Dashboard:Auth:Mode"] = "Oidc",
            ["Dashboard:Auth:Oidc:Authority"] = "https://idp.example.test",
            ["Dashboard:Auth:Oidc:ClientSecret"] = "s",
            ["Sandbox:AwsUrl"] = "http://0.0.0.0:4566",
            ["Sandbox:KubernetesUrl"] = "http://10.0.0.5:8001",
        });
        Assert.Contains("Dashboard:Auth:Oidc:ClientId is not set", message, StringComparison.Ordinal);
        Assert.Contains("Sandbox:AwsUrl: 'http://0.0.0.0:4566' is not a loopback address", message, StringComparison.Ordinal);
        Assert.Contains("Sandbox:KubernetesUrl: 'http://10.0.0.5:8001' is not a loopback address", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sandbox_default_is_unsecured_on_loopback_and_starts()
    {
        using var factory = new DashboardFactory(new Dictionary<string, string?>());
        using var client = factory.CreateClient();
        Assert.NotNull(client);
    }

    private static string StartupFailure(IReadOnlyDictionary<string, string?> settings)
    {
        using var factory = new DashboardFactory(settings);
        var exception = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var text = exception.ToString();
        Assert.Contains("The dashboard cannot start", text, StringComparison.Ordinal);
        return text;
    }
}
