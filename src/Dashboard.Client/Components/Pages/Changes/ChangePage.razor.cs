using System.Security.Claims;
using Dashboard.Client.Authorization;
using Dashboard.Client.Changes;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dashboard.Client.Components.Pages.Changes;

/// <summary>
/// The guided-change wizard: a form pre-filled from the workload or the live endpoint → a preview (manifest, the server's
/// dry run, the diff, warnings, lints) → apply (Operator) → live progress → rollback. Every step calls
/// <see cref="IChangeService"/>, the same service as /api/v1/changes; the page builds no manifest itself.
/// </summary>
public sealed partial class ChangePage : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private ChangeForm _form = new();
    private ChangeDraft? _draft;
    private ChangePlan? _plan;
    private ChangeRecord? _change;
    private ChangeProgress? _progress;
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private IReadOnlyList<FieldConflict> _conflicts = [];
    private string? _message;
    private bool _busy;
    private bool _confirmed;
    private bool _confirmForce;
    private bool _sideBySide;
    private ClaimsPrincipal _user = new();
    private bool _interactive;

    [Inject]
    private IChangeService Changes { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDashboardFeed Feed { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [SupplyParameterFromQuery(Name = "action")]
    public string? Action { get; set; }

    [SupplyParameterFromQuery(Name = "kind")]
    public string? Kind { get; set; }

    [SupplyParameterFromQuery(Name = "namespace")]
    public string? Namespace { get; set; }

    [SupplyParameterFromQuery(Name = "name")]
    public string? Name { get; set; }

    [SupplyParameterFromQuery(Name = "via")]
    public string? Via { get; set; }

    [SupplyParameterFromQuery(Name = "rollback")]
    public string? RollbackOf { get; set; }

    [SupplyParameterFromQuery(Name = "change")]
    public string? ChangeId { get; set; }

    private bool IsOperator => _user.HasClaim(DashboardRoles.ClaimType, DashboardRoles.Operator);

    private ChangeActor Actor => ChangeActor.Of(_user);

    private bool Reconfiguring => _form.Action == ChangeActions.Reconfigure;

    private bool HasReplacement => _plan?.Warnings.Any(w => w.Severity == LintSeverity.Error) == true;

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is not null)
        {
            _user = (await AuthenticationState).User;
        }
        await RunAsync(async token =>
        {
            _plan = null;
            _change = null;
            _progress = null;
            // A new address (a change, a rollback, a new form) starts clean: no conflict panel of an earlier apply.
            _conflicts = [];
            _confirmForce = false;
            _confirmed = false;
            if (ChangeId is { Length: > 0 } changeId)
            {
                _change = await Changes.GetChangeAsync(changeId, token);
                _message = _change is null ? $"No change {changeId} in the audit trail." : null;
                StartProgress();
                return;
            }
            if (RollbackOf is { Length: > 0 } rollback)
            {
                _plan = await Changes.PlanRollbackAsync(rollback, Actor, token);
                _form = ChangeForm.From(_plan.Request);
                return;
            }
            var action = Action is ChangeActions.Reconfigure or ChangeActions.Unexpose ? Action : ChangeActions.Expose;
            var seed = action == ChangeActions.Expose
                ? new ChangeRequest { Action = action, Namespace = Namespace, Workload = new WorkloadRef(Kind is "Service" ? "Service" : "Deployment", Name), Via = Via is "alb" ? "alb" : null }
                : new ChangeRequest { Action = action, Target = new TargetRef(Kind is "Ingress" ? "Ingress" : "Service", Namespace, Name) };
            if (action == ChangeActions.Expose && (string.IsNullOrEmpty(Namespace) || string.IsNullOrEmpty(Name)))
            {
                _form = ChangeForm.From(seed with { Via = seed.Via ?? "nlb", Scheme = "internet-facing", TargetType = "ip", Port = 80 });
                _draft = null;
                return;
            }
            _draft = await Changes.DraftAsync(seed, Actor, token);
            _form = ChangeForm.From(_draft.Request);
            if (action == ChangeActions.Unexpose)
            {
                await PreviewAsync();
            }
        });
    }

    /// <summary>Marks the page interactive (the circuit is up) for people's scripts and the browser tests.</summary>
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _interactive = true;
            StateHasChanged();
        }
    }

    private async Task LoadDraftAsync()
    {
        await RunAsync(async token =>
        {
            _draft = await Changes.DraftAsync(_form.ToRequest(), Actor, token);
            _form = ChangeForm.From(_draft.Request);
        });
    }

    private Task PreviewAsync() => RunAsync(async token =>
    {
        _plan = await Changes.PlanAsync(_form.ToRequest(), Actor, token);
        _confirmed = false;
        _conflicts = [];
        _confirmForce = false;
    });

    private Task ApplyAsync(bool force) => RunAsync(async token =>
    {
        if (_plan is not { } plan)
        {
            return;
        }
        try
        {
            _change = await Changes.ApplyAsync(plan.PlanId, force, Actor, token);
            _plan = null;
            Navigation.NavigateTo(ChangeUrls.Change(_change.ChangeId), replace: false);
        }
        catch (ChangeRefusedException e) when (e.Reason == ChangeRefusal.Conflict)
        {
            // A plan is used once: plan again, so that the user sees what the change does to the object as it is now
            // (someone changed it in between) or, for fields another manager owns, a forced apply has a fresh plan.
            _conflicts = e.Conflicts;
            _confirmForce = false;
            _plan = await Changes.PlanAsync(plan.Request, Actor, token);
            _confirmed = false;
            _message = e.Conflicts.Count > 0 ? e.Message : e.Message + " The plan below is made again from the object as it is now: read it, then apply.";
        }
    });

    private void BackToForm()
    {
        _plan = null;
        _conflicts = [];
        _confirmForce = false;
        _message = null;
    }

    private async Task RunAsync(Func<CancellationToken, Task> action)
    {
        _busy = true;
        _message = null;
        _errors = new Dictionary<string, string[]>();
        try
        {
            await action(_disposed.Token);
        }
        catch (ChangeRefusedException e)
        {
            _errors = e.Errors;
            _message = e.Message;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            _busy = false;
        }
    }

    private void StartProgress()
    {
        if (_change is null)
        {
            return;
        }
        _progress = Changes.Progress(_change);
        _ = RefreshProgressAsync(_change, _disposed.Token);
    }

    /// <summary>The steps are recomputed from the feeds' current state each second until every step is done.</summary>
    private async Task RefreshProgressAsync(ChangeRecord change, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            // Watching the endpoint marks it viewed, so its target groups are read often while the change settles.
            _ = Feed.Endpoint(change.Object).Subscribe(cancellationToken);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var progress = Changes.Progress(change);
                await InvokeAsync(() =>
                {
                    _progress = progress;
                    StateHasChanged();
                });
                if (progress.Stuck is null)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
    }

    private string? ErrorFor(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages.Select(Localization.Say.Text)) : null;

    private IEnumerable<KeyValuePair<string, string[]>> OtherErrors =>
        _errors.Where(e => !KnownFields.Contains(e.Key) && !e.Key.StartsWith("sourceRanges", StringComparison.Ordinal) && !e.Key.StartsWith("tags", StringComparison.Ordinal));

    private static readonly HashSet<string> KnownFields =
    [
        "namespace", "workload.kind", "workload.name", "via", "name", "scheme", "targetType", "port", "targetPort", "healthCheck.path", "healthCheck.port",
        "healthCheck.protocol", "healthCheck.successCodes", "healthCheck.intervalSeconds", "healthCheck.timeoutSeconds", "healthCheck.healthyThreshold",
        "healthCheck.unhealthyThreshold", "certificateArn", "sslRedirect", "sslPolicy", "wafAclArn", "deregistrationDelaySeconds", "loadBalancerName",
        "host", "path", "group",
    ];

    private string? ErrorStartingWith(string prefix) =>
        _errors.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).SelectMany(e => e.Value) is var messages && messages.Any() ? string.Join(" ", messages.Select(Localization.Say.Text)) : null;

    /// <summary>The mark of a field that replaces something when changed (reconfigure only).</summary>
    private string? Replaces(string field) =>
        Reconfiguring && _draft?.ReplacingFields.TryGetValue(field, out var note) == true ? "⚠ " + note : null;

    private string? ReadOnlyReason(string field) =>
        Reconfiguring && _draft?.ReadOnlyFields.TryGetValue(field, out var why) == true ? why : null;

    private static MudBlazor.Severity Severity(LintSeverity severity) => severity switch
    {
        LintSeverity.Error => MudBlazor.Severity.Error,
        LintSeverity.Warning => MudBlazor.Severity.Warning,
        _ => MudBlazor.Severity.Info,
    };

    private static string Title(ChangeForm form) => form.Action switch
    {
        ChangeActions.Reconfigure => $"Reconfigure {form.TargetKind} {form.TargetNamespace}/{form.TargetName}",
        ChangeActions.Unexpose => $"Unexpose {form.TargetKind} {form.TargetNamespace}/{form.TargetName}",
        _ => "Expose a workload",
    };

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
