using Microsoft.AspNetCore.Authentication.Cookies;
using Dashboard.Server.State;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dashboard.Server.Authentication.Sessions;

/// <summary>Server-side sessions for the cookie modes (EntraId, Oidc): the store, the cookie handler's ticket store, circuits.</summary>
internal static class SessionStoreExtensions
{
    public static IServiceCollection AddDashboardSessions(this IServiceCollection services, IConfiguration configuration, SessionSettings settings)
    {
        services.AddSingleton(settings);
        // The sessions live in the one state store (and its one migration path), next to the Data Protection keys.
        services.AddDashboardState(configuration);
        services.AddStateMigration(StateSessionStore.Migration);
        services.AddSingleton<ISessionStore, StateSessionStore>();
        services.AddSingleton<SessionRevocations>();
        services.AddSingleton<DashboardTicketStore>();
        services.AddHostedService<SessionStoreInitializer>();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<DashboardTicketStore>((cookie, tickets) => cookie.SessionStore = tickets);
        // Replaces the framework's provider (registered with TryAdd) for every circuit.
        services.AddScoped<AuthenticationStateProvider, SessionAuthenticationStateProvider>();
        return services;
    }
}

/// <summary>Migrates the state store (with the sessions table) before the first request, so a broken database stops start-up with its reason.</summary>
internal sealed partial class SessionStoreInitializer(ISessionStore store, IStateStore state, ILogger<SessionStoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync(cancellationToken);
        LogReady(state.Description);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Sessions are kept server-side in {Store}")]
    private partial void LogReady(string store);
}

/// <summary>
/// The dashboard's shared state database (<c>Dashboard:State</c>): SQLite for a single replica (the default), PostgreSQL
/// for several. Holds the signed-in sessions, the Data Protection keys and every other table of <see cref="IStateStore"/>.
/// </summary>
public sealed class DashboardStateOptions
{
    public const string SectionName = "Dashboard:State";

    /// <summary>The SQLite file; empty means <c>endpoint-dashboard/state.db</c> under the temp folder (the container's writable /tmp).</summary>
    public string? SqlitePath { get; set; }

    /// <summary>A PostgreSQL connection string; when set, PostgreSQL is used instead of SQLite. Pass it from a Secret.</summary>
    public string? PostgresConnectionString { get; set; }

    internal string EffectiveSqlitePath => string.IsNullOrWhiteSpace(SqlitePath)
        ? Path.Combine(Path.GetTempPath(), "endpoint-dashboard", "state.db")
        : SqlitePath;
}
