using System.Security.Claims;
using System.Text.Encodings.Web;
using Dashboard.Client.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Authentication;

/// <summary>The Unsecured mode: every request is the configured local user. Start-up allows it only on loopback.</summary>
internal sealed class UnsecuredAuthenticationHandler(
    IOptionsMonitor<UnsecuredAuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder)
    : AuthenticationHandler<UnsecuredAuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Unsecured";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity(DashboardRoles.UnsecuredAuthenticationType, ClaimTypes.Name, DashboardRoles.ClaimType);
        identity.AddClaim(new Claim(ClaimTypes.Name, Options.UserName));
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, Options.UserName));
        foreach (var role in Options.Roles)
        {
            identity.AddClaim(new Claim(DashboardRoles.ClaimType, role));
        }
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(ticket));
    }
}

internal sealed class UnsecuredAuthenticationSchemeOptions : AuthenticationSchemeOptions
{
    public string UserName { get; set; } = "local-user";
    public IReadOnlyList<string> Roles { get; set; } = [];
}
