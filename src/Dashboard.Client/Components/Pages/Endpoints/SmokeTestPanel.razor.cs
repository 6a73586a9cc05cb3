using System.Security.Claims;
using Dashboard.Client.Authorization;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Client.SmokeTests;
using Dashboard.Client.Verify;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dashboard.Client.Components.Pages.Endpoints;

/// <summary>
/// The smoke test of an endpoint page: a form within the configured caps, a confirmation naming the endpoint, its URL and
/// its scheme, then live figures read from <see cref="ISmokeTests"/> twice a second until the run ends, and the previous run beside it.
/// </summary>
public sealed partial class SmokeTestPanel : IDisposable
{
    private IReadOnlyList<VerifyTarget> _targets = [];
    private string? _targetId;
    private string _path = "/";
    private int _rate = 20;
    private int _duration = 10;
    private int _connections = 10;
    private int _expect = 200;
    private bool _confirming;
    private string? _error;
    private SmokeTestStatus? _running;
    private SmokeTestStatus? _shown;
    private SmokeTestStatus? _previous;
    private ObjectRef? _loadedFor;
    private ClaimsPrincipal _user = new();
    private CancellationTokenSource? _poll;

    [Parameter, EditorRequired]
    public ObjectRef Endpoint { get; set; } = default!;

    [Parameter]
    public IEndpointVerifier Verifier { get; set; } = default!;

    [Parameter]
    public ISmokeTests Smoke { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    private bool CanRun => _user.HasClaim(DashboardRoles.ClaimType, DashboardRoles.Operator);

    private VerifyTarget? Selected => _targets.FirstOrDefault(t => t.Id == _targetId);

    private ChangeActor Actor => new(_user.Identity?.Name ?? _user.FindFirst("sub")?.Value ?? "unknown", [.. DashboardUser.RolesOf(_user)]);

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is not null)
        {
            _user = (await AuthenticationState).User;
        }
        _targets = Verifier.Targets(Endpoint);
        if (_loadedFor != Endpoint)
        {
            _loadedFor = Endpoint;
            _targetId = _targets.FirstOrDefault()?.Id;
            _path = Selected?.DefaultPath ?? "/";
            _rate = Math.Min(_rate, Smoke.Limits.MaxRatePerSecond);
            _duration = Math.Min(_duration, Smoke.Limits.MaxDurationSeconds);
            _connections = Math.Min(_connections, Smoke.Limits.MaxConnections);
            // On any replica: a run another replica started shows here too, with its figures and a working Stop.
            _running = await Smoke.RunningAsync(Endpoint, CancellationToken.None) is { State: "running" } live ? live : null;
            var history = await Smoke.HistoryAsync(Endpoint, CancellationToken.None);
            _shown = _running ?? history.FirstOrDefault();
            _previous = history.FirstOrDefault(h => h.Id != _shown?.Id);
            if (_running is not null)
            {
                StartPolling(_running.Id);
            }
        }
        else if (Selected is null && _targets.Count > 0)
        {
            // The targets arrived after the first render (the topology had not joined the endpoint yet).
            _targetId = _targets[0].Id;
            _path = _targets[0].DefaultPath;
        }
    }

    private void OnTargetChanged() => _path = Selected?.DefaultPath ?? _path;

    private void AskToConfirm()
    {
        _error = null;
        _confirming = true;
    }

    private async Task StartAsync()
    {
        _confirming = false;
        _error = null;
        try
        {
            var previous = _shown is { State: not "running" } last ? last : _previous;
            _running = await Smoke.StartAsync(Endpoint, new SmokeTestRequest
            {
                Target = _targetId,
                Path = _path,
                RatePerSecond = _rate,
                DurationSeconds = _duration,
                Connections = _connections,
                ExpectStatus = _expect,
            }, Actor, CancellationToken.None);
            _previous = previous;
            _shown = _running;
            StartPolling(_running.Id);
        }
        catch (VerifyRefusedException e)
        {
            _error = $"{e.Field}: {e.Message}";
        }
    }

    private async Task StopRunAsync()
    {
        if (_running is { } run && !await Smoke.StopAsync(run.Id, Actor, CancellationToken.None))
        {
            _error = "The run had already ended.";
        }
    }

    private void StartPolling(string id)
    {
        _poll?.Cancel();
        _poll?.Dispose();
        _poll = new CancellationTokenSource();
        _ = PollAsync(id, _poll.Token);
    }

    private async Task PollAsync(string id, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var status = await Smoke.GetAsync(id, cancellationToken);
                await InvokeAsync(() =>
                {
                    _shown = status ?? _shown;
                    if (status is null || status.State != "running")
                    {
                        _running = null;
                    }
                    StateHasChanged();
                });
                if (status is null || status.State != "running")
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    public void Dispose()
    {
        _poll?.Cancel();
        _poll?.Dispose();
    }
}
