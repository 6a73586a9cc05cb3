using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Dashboard.Server.Authentication.Sessions;

/// <summary>
/// The circuit's user, tied to the session it was opened with. When the session is revoked on this replica the circuit
/// drops the user at once; sessions revoked elsewhere are noticed at the next revalidation
/// (<c>Dashboard:Auth:SessionRevalidationInterval</c>). A dropped user sees the "not signed in" view instead of the page,
/// whose live feeds end with it.
/// </summary>
internal sealed class SessionAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly AuthenticationState SignedOut = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private readonly DashboardTicketStore _tickets;
    private readonly SessionRevocations _revocations;
    private readonly Lock _gate = new();
    private IDisposable? _watch;
    private string? _watchedKey;

    public SessionAuthenticationStateProvider(ILoggerFactory loggerFactory, DashboardTicketStore tickets, SessionRevocations revocations, SessionSettings settings)
        : base(loggerFactory)
    {
        _tickets = tickets;
        _revocations = revocations;
        RevalidationInterval = settings.RevalidationInterval;
        AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    protected override TimeSpan RevalidationInterval { get; }

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var key = SessionKeyOf(authenticationState.User);
        return key is null || await _tickets.FindLiveAsync(key, cancellationToken) is not null;
    }

    private void OnAuthenticationStateChanged(Task<AuthenticationState> state) => _ = WatchAsync(state);

    private async Task WatchAsync(Task<AuthenticationState> state)
    {
        var key = SessionKeyOf((await state).User);
        lock (_gate)
        {
            if (key == _watchedKey)
            {
                return;
            }
            _watch?.Dispose();
            _watchedKey = key;
            _watch = key is null ? null : _revocations.Watch(key, () => SetAuthenticationState(Task.FromResult(SignedOut)));
        }
    }

    private static string? SessionKeyOf(ClaimsPrincipal user) => user.FindFirst(DashboardTicketStore.SessionClaim)?.Value;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            AuthenticationStateChanged -= OnAuthenticationStateChanged;
            lock (_gate)
            {
                _watch?.Dispose();
                _watch = null;
            }
        }
        base.Dispose(disposing);
    }
}
