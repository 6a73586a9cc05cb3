using System.Text;

namespace Dashboard.Server.Authentication;

/// <summary>
/// Request logging without secrets. ASP.NET Core's own "Request starting … /signin-oidc?code=…&amp;state=…" lines
/// (category <see cref="HostingCategory"/>) carry the provider's authorization code when it arrives in the query, so
/// that category is capped at Warning whatever the configuration says, for every provider. This middleware writes the
/// request lines instead (category <see cref="Category"/>, Information), with the query string of the sign-in
/// callbacks replaced by <c>[redacted]</c> and every value made single-line.
/// </summary>
internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILoggerFactory loggerFactory, IReadOnlyList<string> redactedPaths, TimeProvider time)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    /// <summary>The log category of the dashboard's request lines (off by default: appsettings.json sets it to Warning).</summary>
    public const string Category = "Dashboard.Requests";

    /// <summary>ASP.NET Core's request lines, which print the raw query string.</summary>
    public const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }
        var started = time.GetTimestamp();
        var request = context.Request;
        var target = LogValue.Sanitize(request.Path.Value) + RedactedQuery(request.Path, request.QueryString);
        try
        {
            await next(context);
        }
        finally
        {
            LogRequest(request.Method, target, context.Response.StatusCode, time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>The query string as it may be logged: redacted on the callback paths, single-line elsewhere.</summary>
    internal string RedactedQuery(PathString path, QueryString query)
    {
        if (!query.HasValue)
        {
            return string.Empty;
        }
        return redactedPaths.Any(redacted => path.Equals(redacted, StringComparison.OrdinalIgnoreCase))
            ? "?[redacted]"
            : LogValue.Sanitize(query.Value);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Target} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private partial void LogRequest(string method, string target, int statusCode, double elapsedMilliseconds);
}

/// <summary>Makes a value from a request safe to write to a log: one line, bounded, control characters escaped.</summary>
public static class LogValue
{
    private const int MaxLength = 256;

    public static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }
        var text = new StringBuilder(Math.Min(value.Length, MaxLength) + 8);
        foreach (var character in value)
        {
            if (text.Length >= MaxLength)
            {
                text.Append('…');
                break;
            }
            if (char.IsControl(character) || character is '\u2028' or '\u2029' or '\u0085')
            {
                text.Append(@"\u").Append(((int)character).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(character);
            }
        }
        return text.ToString();
    }
}

/// <summary>Log filter rules that no configuration can loosen: categories that would print secrets below a level.</summary>
internal static class LogRedaction
{
    /// <summary>Category → the most verbose level it may log at.</summary>
    private static readonly (string Category, LogLevel Minimum)[] Caps =
    [
        // The OpenID Connect handler writes the provider's redirect (with the authorization code) at Trace.
        (typeof(Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectHandler).FullName!, LogLevel.Debug),
        // "Request starting GET /signin-oidc?code=…&state=…" at Information.
        (RequestLoggingMiddleware.HostingCategory, LogLevel.Warning),
    ];

    /// <summary>
    /// Adds each cap for every provider named by a rule (a provider-specific rule beats a general one) and as a
    /// general rule, after the configuration's rules so the caps win among rules of the same specificity.
    /// </summary>
    public static void Apply(LoggerFilterOptions options)
    {
        var providers = options.Rules.Select(rule => rule.ProviderName).Distinct().ToList();
        if (!providers.Contains(null))
        {
            providers.Add(null);
        }
        foreach (var (category, minimum) in Caps)
        {
            foreach (var provider in providers)
            {
                options.Rules.Add(new LoggerFilterRule(provider, category, minimum, null));
            }
        }
    }
}
