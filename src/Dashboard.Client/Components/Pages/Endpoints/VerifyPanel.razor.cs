using System.Globalization;
using System.Security.Claims;
using Dashboard.Client.Authorization;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Client.Verify;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;

namespace Dashboard.Client.Components.Pages.Endpoints;

/// <summary>
/// Verify on an endpoint page: pick an address (listener and host; for an IngressGroup the member's host and path), a
/// method and a path (default: the health-check path), send one request through <see cref="IEndpointVerifier"/>.
/// </summary>
public sealed partial class VerifyPanel
{
    private IReadOnlyList<VerifyTarget> _targets = [];
    private string? _targetId;
    private string _method = "GET";
    private string _path = "/";
    private string? _body = """{"features": {"store_id": 1, "product_id": 123}}""";
    private bool _busy;
    private string? _error;
    private VerifyResult? _result;
    private ObjectRef? _loadedFor;
    private ClaimsPrincipal _user = new();

    /// <summary>The endpoint to verify.</summary>
    [Parameter, EditorRequired]
    public ObjectRef Endpoint { get; set; } = default!;

    /// <summary>The endpoint view (its listeners change the targets).</summary>
    [Parameter]
    public EndpointViewModel? View { get; set; }

    [Parameter]
    public IEndpointVerifier Verifier { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    private bool CanVerify => _user.HasClaim(DashboardRoles.ClaimType, DashboardRoles.Operator);

    private VerifyTarget? Selected => _targets.FirstOrDefault(t => t.Id == _targetId);

    private string SelectedUrl => Selected?.Url(_path) ?? "";

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is not null)
        {
            _user = (await AuthenticationState).User;
        }
        var targets = Verifier.Targets(Endpoint);
        var changed = _loadedFor != Endpoint || !targets.Select(t => t.Id).SequenceEqual(_targets.Select(t => t.Id));
        _targets = targets;
        if (_loadedFor != Endpoint)
        {
            _loadedFor = Endpoint;
            _result = Verifier.Last(Endpoint);
            _targetId = null;
        }
        if (changed && (_targetId is null || Selected is null))
        {
            _targetId = _targets.FirstOrDefault()?.Id;
            _path = Selected?.DefaultPath ?? "/";
        }
    }

    private void OnTargetChanged() => _path = Selected?.DefaultPath ?? _path;

    private async Task OnPathKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter" && CanVerify && !_busy)
        {
            await VerifyAsync();
        }
    }

    private async Task VerifyAsync()
    {
        _busy = true;
        _error = null;
        try
        {
            var actor = new ChangeActor(_user.Identity?.Name ?? _user.FindFirst("sub")?.Value ?? "unknown", [.. DashboardUser.RolesOf(_user)]);
            _result = await Verifier.VerifyAsync(Endpoint, new VerifyRequest
            {
                Target = _targetId,
                Path = _path,
                Method = _method,
                Body = _method == "POST" ? _body : null,
            }, actor, CancellationToken.None);
        }
        catch (VerifyRefusedException e)
        {
            _error = $"{e.Field}: {e.Message}";
        }
        finally
        {
            _busy = false;
        }
    }

    private static string Ms(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " ms";
}
