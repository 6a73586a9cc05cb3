using Microsoft.Extensions.Options;

namespace Dashboard.Server.Api;

/// <summary>Settings of the read API (configuration section <c>Dashboard:Api</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Dashboard:Api";

    /// <summary>Requests per user per minute to /api/v1 (a fixed window; separate from the CSV export's limit).</summary>
    public int PermitsPerMinute { get; set; } = 300;

    /// <summary>Bearer tokens for scripts (<c>Dashboard:Api:Bearer</c>).</summary>
    public ApiBearerOptions Bearer { get; set; } = new();
}

/// <summary>
/// JWT bearer tokens for scripts, issued by the same provider the browser signs in with (the Entra ID tenant or the OpenID
/// Connect authority of <c>Dashboard:Auth</c>) and role-mapped by the same <c>Dashboard:Auth:Roles</c>.
/// </summary>
public sealed class ApiBearerOptions
{
    /// <summary>Whether /api/v1 accepts <c>Authorization: Bearer</c> in the EntraId and Oidc modes.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The audiences a token must be issued for. Empty: the client id of <c>Dashboard:Auth</c> (and, for Entra ID, also
    /// <c>api://{client id}</c>, the default Application ID URI).
    /// </summary>
    public List<string> Audiences { get; set; } = [];
}

/// <summary>Checks <see cref="ApiOptions"/> at start; every problem is named with its key.</summary>
public sealed class ValidateApiOptions : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.PermitsPerMinute < 1)
        {
            errors.Add($"{ApiOptions.SectionName}:{nameof(ApiOptions.PermitsPerMinute)} must be at least 1 (it is {options.PermitsPerMinute}).");
        }
        if (options.Bearer.Audiences.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{ApiOptions.SectionName}:Bearer:Audiences has an empty entry. Remove it, or name the audience tokens are issued for.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
