using Dashboard.Server.Authentication;

namespace Dashboard.Server.Tests.Authentication;

public sealed class DashboardAuthOptionsValidatorTests
{
    private static IReadOnlyList<string> Validate(DashboardAuthOptions auth, DashboardForwardedHeadersOptions? forwarded = null, params ListeningUrl[] urls) =>
        DashboardAuthOptionsValidator.Validate(auth, forwarded ?? new(), new DashboardRateLimitingOptions(), urls);

    [Fact]
    public void A_complete_oidc_configuration_is_valid()
    {
        var auth = new DashboardAuthOptions
        {
            Mode = "oidc",
            Oidc = new OidcAuthOptions { Authority = "https://idp.example.test", ClientId = "c", ClientSecret = "s" },
        };
        Assert.Empty(Validate(auth));
    }

    [Fact]
    public void Every_error_is_collected_and_names_its_key()
    {
        var auth = new DashboardAuthOptions
        {
            Mode = "Oidc",
            Oidc = new OidcAuthOptions { Authority = "http://idp.example.test", RoleClaim = "", GroupsClaim = null, Scopes = ["openid profile"] },
            SessionLifetime = TimeSpan.Zero,
        };
        var forwarded = new DashboardForwardedHeadersOptions { KnownProxies = ["not-an-ip"], KnownNetworks = ["10.0.0.0/99"], ForwardLimit = 0 };

        var errors = Validate(auth, forwarded);

        string[] keys =
        [
            "Dashboard:Auth:Oidc:Authority", "Dashboard:Auth:Oidc:ClientId", "Dashboard:Auth:Oidc:ClientSecret",
            "Dashboard:Auth:Oidc:RoleClaim", "Dashboard:Auth:Oidc:Scopes", "Dashboard:Auth:SessionLifetime",
            "Dashboard:ForwardedHeaders:KnownProxies", "Dashboard:ForwardedHeaders:KnownNetworks", "Dashboard:ForwardedHeaders:ForwardLimit",
        ];
        foreach (var key in keys)
        {
            Assert.Contains(errors, error => error.Contains(key, StringComparison.Ordinal));
        }
        Assert.Equal(keys.Length, errors.Count);
    }

    [Fact]
    public void A_cookie_policy_that_can_leave_the_host_cookie_without_secure_is_refused_by_key()
    {
        var auth = CompleteOidc();
        auth.CookieSecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.None;

        var error = Assert.Single(Validate(auth));

        Assert.StartsWith("Dashboard:Auth:CookieSecurePolicy is None", error, StringComparison.Ordinal);
        Assert.Contains("Always", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_as_request_needs_https_on_the_listener_or_a_trusted_proxy()
    {
        var auth = CompleteOidc();
        auth.CookieSecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;

        var untrusted = Assert.Single(Validate(auth, null, new ListeningUrl("http://0.0.0.0:8080", "ASPNETCORE_URLS")));
        Assert.StartsWith("Dashboard:Auth:CookieSecurePolicy is SameAsRequest", untrusted, StringComparison.Ordinal);
        Assert.Contains("Dashboard:ForwardedHeaders:KnownNetworks", untrusted, StringComparison.Ordinal);

        Assert.Empty(Validate(auth, new DashboardForwardedHeadersOptions { KnownNetworks = ["10.0.0.0/16"] }, new ListeningUrl("http://0.0.0.0:8080", "ASPNETCORE_URLS")));
        Assert.Empty(Validate(auth, null, new ListeningUrl("https://0.0.0.0:8443", "ASPNETCORE_URLS")));
    }

    [Fact]
    public void The_unsecured_mode_has_no_session_cookie_to_check()
    {
        var auth = new DashboardAuthOptions { Mode = "Unsecured", CookieSecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.None };
        Assert.Empty(Validate(auth));
    }

    private static DashboardAuthOptions CompleteOidc() => new()
    {
        Mode = "Oidc",
        Oidc = new OidcAuthOptions { Authority = "https://idp.example.test", ClientId = "c", ClientSecret = "s" },
    };

    [Fact]
    public void Plain_http_authority_is_allowed_only_when_https_metadata_is_switched_off()
    {
        var auth = new DashboardAuthOptions
        {
            Mode = "Oidc",
            Oidc = new OidcAuthOptions { Authority = "http://127.0.0.1:5001", ClientId = "c", ClientSecret = "s", RequireHttpsMetadata = false },
        };
        Assert.Empty(Validate(auth));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("Anonymous")]
    [InlineData("")]
    public void Modes_outside_the_three_are_refused(string mode)
    {
        var errors = Validate(new DashboardAuthOptions { Mode = mode });
        Assert.Contains(errors, error => error.StartsWith("Dashboard:Auth:Mode", StringComparison.Ordinal) && error.Contains("Unsecured, EntraId, Oidc", StringComparison.Ordinal));
    }

    [Fact]
    public void Unsecured_on_loopback_is_valid_and_on_any_other_address_is_not()
    {
        var auth = new DashboardAuthOptions { Mode = "Unsecured" };
        Assert.Empty(Validate(auth, null, new ListeningUrl("http://127.0.0.1:5000", "urls"), new ListeningUrl("http://localhost:5001", "urls")));
        var errors = Validate(auth, null, new ListeningUrl("http://127.0.0.1:5000", "urls"), new ListeningUrl("http://10.0.0.5:5000", "urls"));
        var error = Assert.Single(errors);
        Assert.Contains("http://10.0.0.5:5000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsecured_roles_must_be_dashboard_roles()
    {
        var auth = new DashboardAuthOptions { Mode = "Unsecured", Unsecured = new UnsecuredAuthOptions { Roles = ["Viewer", "Admin"] } };
        var error = Assert.Single(Validate(auth));
        Assert.Contains("Dashboard:Auth:Unsecured:Roles contains 'Admin'", error, StringComparison.Ordinal);
    }
}

public sealed class ListeningUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://127.10.0.1:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("https://LOCALHOST:5001/", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://*:5000", false)]
    [InlineData("http://+:5000", false)]
    [InlineData("http://10.0.0.5:5000", false)]
    [InlineData("http://dashboard.internal:5000", false)]
    [InlineData("http://[::1:5000", false)]
    public void Only_loopback_addresses_and_localhost_count_as_loopback(string address, bool loopback)
    {
        Assert.Equal(loopback, ListeningUrl.IsLoopbackAddress(address));
    }
}
