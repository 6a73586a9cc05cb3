using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;

namespace Dashboard.Client.Components.Pages.Endpoints;

/// <summary>
/// One Service or Ingress and its whole chain (balancer → listeners/rules → target groups → targets → pods/nodes),
/// live through <see cref="IDashboardFeed.Endpoint"/>; a new route re-subscribes. Pod logs are read here, through
/// <see cref="IDashboardFeed.GetPodLogAsync"/>, and shown under their target group (one per group).
/// </summary>
public sealed partial class EndpointPage : IAsyncDisposable
{
    private FeedWatches? _watches;
    private PageClock? _clock;
    private ObjectKind? _kind;
    private string? _kindError;
    private EndpointViewModel? _endpoint;
    private ObjectRef? _subscribed;
    private readonly Dictionary<string, OpenPodLog> _logs = new(StringComparer.Ordinal);

    /// <summary>"service" or "ingress".</summary>
    [Parameter]
    public string Kind { get; set; } = "";

    [Parameter]
    public string Namespace { get; set; } = "";

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private IDashboardFeed Feed { get; set; } = default!;

    [Inject]
    private ILogger<EndpointPage> Logger { get; set; } = default!;

    [Inject]
    private IServiceProvider ServiceProvider { get; set; } = default!;

    private DateTimeOffset Now => _clock?.Now ?? default;

    /// <summary>Verify, when the host offers it (bUnit tests of the page may not).</summary>
    private Verify.IEndpointVerifier? Verifier => ServiceProvider.GetService(typeof(Verify.IEndpointVerifier)) as Verify.IEndpointVerifier;

    private SmokeTests.ISmokeTests? SmokeTests => ServiceProvider.GetService(typeof(SmokeTests.ISmokeTests)) as SmokeTests.ISmokeTests;

    private string? FeedError { get; set; }

    protected override void OnInitialized()
    {
        _clock = PageClock.Start(ServiceProvider, TimeSpan.FromSeconds(5), InvokeAsync, StateHasChanged);
    }

    protected override async Task OnParametersSetAsync()
    {
        if (!TopologyUrls.TryParseKind(Kind, out var kind))
        {
            await StopAsync();
            _kind = null;
            _endpoint = null;
            _subscribed = null;
            _kindError = $"Unknown kind '{Kind}' in the URL: use /endpoints/service/{{namespace}}/{{name}} or /endpoints/ingress/{{namespace}}/{{name}}.";
            return;
        }
        _kind = kind;
        _kindError = null;
        var target = new ObjectRef(kind, Namespace, Name);
        if (target == _subscribed)
        {
            return;
        }
        await StopAsync();
        _subscribed = target;
        FeedError = null;
        _watches = new FeedWatches();
        var subscription = Feed.Endpoint(target).Subscribe(_watches.Token);
        _endpoint = subscription.SingleItem();
        _watches.Start(token => WatchAsync(subscription, token));
    }

    private async Task WatchAsync(FeedSubscription<EndpointViewModel> subscription, CancellationToken cancellationToken)
    {
        try
        {
            await subscription.ConsumeAsync(batch => InvokeAsync(() =>
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                _endpoint = batch.Latest(_endpoint);
                StateHasChanged();
            }), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "The endpoint feed for {Endpoint} failed", _subscribed);
            await InvokeAsync(() =>
            {
                FeedError = ex.Message;
                StateHasChanged();
            });
        }
    }

    /// <summary>Reads the last lines of <paramref name="pod"/>'s log and shows them under target group <paramref name="groupArn"/>.</summary>
    private async Task ShowLogAsync(string groupArn, PodView pod)
    {
        if (!_logs.TryGetValue(groupArn, out var log) || log.Pod != pod)
        {
            CloseLog(groupArn);
            _logs[groupArn] = log = new OpenPodLog(pod);
        }
        var what = $"{pod.Namespace}/{pod.Name}";
        await log.Read.LoadAsync(
            async token => await Feed.GetPodLogAsync(pod.Namespace, pod.Name, TargetGroupSection.TailLines, token),
            answer => answer?.Error is { } error ? $"Could not read the log of {what}: {error}" : null,
            ex => $"Could not read the log of {what}: {ex.Message}");
    }

    private void CloseLog(string groupArn)
    {
        if (_logs.Remove(groupArn, out var log))
        {
            log.Dispose();
        }
    }

    private void CloseLogs()
    {
        foreach (var log in _logs.Values)
        {
            log.Dispose();
        }
        _logs.Clear();
    }

    /// <summary>
    /// The target group a member of a shared balancer sees by default: its own (a member Ingress must not be shown the
    /// whole group's traffic as its own); null (the whole balancer) when the balancer serves this endpoint alone.
    /// </summary>
    internal static string? OwnTargetGroup(EndpointViewModel endpoint, LoadBalancerViewModel balancer) =>
        balancer.Owners.Length > 1
            ? balancer.TargetGroups.FirstOrDefault(g => g.Member == endpoint.Object || g.Service == endpoint.Object)?.Name
            : null;

    private async Task StopAsync()
    {
        CloseLogs();
        if (_watches is null)
        {
            return;
        }
        await _watches.DisposeAsync();
        _watches = null;
    }

    public async ValueTask DisposeAsync()
    {
        _clock?.Dispose();
        await StopAsync();
    }
}
