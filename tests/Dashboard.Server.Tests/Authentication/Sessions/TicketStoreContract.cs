using System.Security.Claims;
using Dashboard.Client.Authorization;
using Dashboard.Server.Authentication;
using Dashboard.Server.Authentication.Sessions;
using Dashboard.Server.State;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.Authentication.Sessions;

/// <summary>
/// What the cookie handler's session store must do on any database: a session lives until sign-out, expiry, a role
/// change or a role-mapping change ends it, for every replica that shares the database.
/// </summary>
public abstract class TicketStoreContract : IAsyncLifetime
{
    private static readonly DashboardAuthOptions Auth = new() { Mode = "Oidc", SessionLifetime = TimeSpan.FromHours(8) };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly IDataProtectionProvider _dataProtection = new EphemeralDataProtectionProvider();
    private readonly SessionRevocations _revocations = new();
    private ISessionStore _store = null!;

    /// <summary>A fresh, empty store; null when the database is not reachable (the test is then skipped).</summary>
    protected abstract Task<ISessionStore?> CreateStoreAsync();

    /// <summary>Why the database is not reachable, for the skip message.</summary>
    protected virtual string SkipReason => string.Empty;

    public async Task InitializeAsync()
    {
        var store = await CreateStoreAsync();
        if (store is not null)
        {
            await store.EnsureCreatedAsync(CancellationToken.None);
            _store = store;
        }
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task A_stored_session_is_read_back_with_its_key_in_the_principal()
    {
        SkipUnlessReachable();
        var tickets = TicketStore();

        var key = await tickets.StoreAsync(Ticket("vera", DashboardRoles.Viewer));
        var ticket = await tickets.RetrieveAsync(key);

        Assert.NotNull(ticket);
        Assert.Equal("vera", ticket.Principal.Identity?.Name);
        Assert.Equal([DashboardRoles.Viewer], DashboardUser.RolesOf(ticket.Principal));
        Assert.Equal(key, ticket.Principal.FindFirst(DashboardTicketStore.SessionClaim)?.Value);
        Assert.True(key.Length >= 40, "the key is long and random");
    }

    [SkippableFact]
    public async Task Sign_out_removes_the_session_for_every_replica_and_tells_live_circuits()
    {
        SkipUnlessReachable();
        var replicaA = TicketStore();
        var replicaB = TicketStore();
        var key = await replicaA.StoreAsync(Ticket("vera", DashboardRoles.Viewer));
        Assert.NotNull(await replicaB.RetrieveAsync(key));
        var told = 0;
        using var watch = _revocations.Watch(key, () => Interlocked.Increment(ref told));

        await replicaA.RemoveAsync(key);

        Assert.Null(await replicaA.RetrieveAsync(key));
        Assert.Null(await replicaB.RetrieveAsync(key));
        Assert.Equal(1, told);
    }

    [SkippableFact]
    public async Task An_expired_session_is_revoked_and_deleted()
    {
        SkipUnlessReachable();
        var tickets = TicketStore();
        var key = await tickets.StoreAsync(Ticket("vera", DashboardRoles.Viewer, expires: _time.GetUtcNow().AddHours(1)));

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(await tickets.RetrieveAsync(key));
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Null(await tickets.RetrieveAsync(key));
        Assert.Null(await _store.FindAsync(key, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Signing_in_with_other_roles_ends_the_users_other_sessions_only()
    {
        SkipUnlessReachable();
        var tickets = TicketStore();
        var before = await tickets.StoreAsync(Ticket("vera", DashboardRoles.Viewer));
        var sameRoles = await tickets.StoreAsync(Ticket("vera", DashboardRoles.Viewer));
        var someoneElse = await tickets.StoreAsync(Ticket("carl", DashboardRoles.CostReader));
        var told = 0;
        using var watch = _revocations.Watch(before, () => Interlocked.Increment(ref told));

        var after = await tickets.StoreAsync(Ticket("vera", DashboardRoles.Viewer, DashboardRoles.CostReader));

        Assert.Null(await tickets.RetrieveAsync(before));
        Assert.Null(await tickets.RetrieveAsync(sameRoles));
        Assert.Equal(1, told);
        Assert.NotNull(await tickets.RetrieveAsync(after));
        Assert.NotNull(await tickets.RetrieveAsync(someoneElse));
    }

    [SkippableFact]
    public async Task A_changed_role_mapping_ends_sessions_that_began_under_the_old_one()
    {
        SkipUnlessReachable();
        var key = await TicketStore().StoreAsync(Ticket("vera", DashboardRoles.Viewer));
        var remapped = new DashboardAuthOptions { Mode = "Oidc", Roles = new RoleMappingOptions { Viewer = ["ops", "support"] } };

        var afterRestart = TicketStore(SessionSettings.From(remapped, ["groups"]));

        Assert.Null(await afterRestart.RetrieveAsync(key));
    }

    [SkippableFact]
    public async Task A_sliding_refresh_does_not_bring_back_a_revoked_session()
    {
        SkipUnlessReachable();
        var tickets = TicketStore();
        var key = await tickets.StoreAsync(Ticket("vera", DashboardRoles.Viewer));
        var read = (await tickets.RetrieveAsync(key))!;
        await tickets.RemoveAsync(key);

        await tickets.RenewAsync(key, read);

        Assert.Null(await tickets.RetrieveAsync(key));
    }

    private DashboardTicketStore TicketStore(SessionSettings? settings = null) =>
        new(_store, _dataProtection, _revocations, settings ?? SessionSettings.From(Auth, ["groups"]), _time, NullLogger<DashboardTicketStore>.Instance);

    private AuthenticationTicket Ticket(string user, params string[] roles) => Ticket(user, roles, null);

    private AuthenticationTicket Ticket(string user, string role, DateTimeOffset expires) => Ticket(user, [role], expires);

    private AuthenticationTicket Ticket(string user, string[] roles, DateTimeOffset? expires)
    {
        var identity = new ClaimsIdentity("oidc", "name", DashboardRoles.ClaimType);
        identity.AddClaim(new Claim("sub", user));
        identity.AddClaim(new Claim("name", user));
        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(DashboardRoles.ClaimType, role));
        }
        var properties = new AuthenticationProperties { IssuedUtc = _time.GetUtcNow(), ExpiresUtc = expires ?? _time.GetUtcNow().AddHours(8) };
        return new AuthenticationTicket(new ClaimsPrincipal(identity), properties, "Cookies");
    }

    private void SkipUnlessReachable() => Skip.If(_store is null, SkipReason);

    /// <summary>The sessions as the server keeps them: in the state store, its tables made by the state migrations.</summary>
    internal static StateSessionStore Sessions(IStateStore state) =>
        new(state, new StateSchema(state, [StateMigrations.Documents, StateMigrations.DataProtectionKeys, StateSessionStore.Migration], NullLogger<StateSchema>.Instance));
}

/// <summary>The contract on SQLite, for real: a file in the temp folder.</summary>
public sealed class SqliteTicketStoreTests : TicketStoreContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "dashboard-tests", $"sessions-{Guid.NewGuid():N}.db");

    protected override Task<ISessionStore?> CreateStoreAsync() => Task.FromResult<ISessionStore?>(Sessions(new SqliteStateStore(_path)));

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
        return Task.CompletedTask;
    }
}
