using System.Globalization;
using Dashboard.Client.Localization;
using Dashboard.Client.Metrics;
using Dashboard.Client.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace Dashboard.Client.Components.Metrics;

/// <summary>
/// The Metrics section of one load balancer. Its state lives in the URL so a link reproduces the view:
/// <c>mrange</c> (15m … 90d, or start~end after a zoom or a custom range), <c>mtg</c> (a target group's name, or <c>-</c>
/// for the whole balancer; absent = <see cref="DefaultTargetGroup"/>), <c>maz</c> (a zone), <c>mlive=false</c> (pause).
/// Reads go through <see cref="IMetricsReader"/> (the server's shared cache); the charts are drawn by uPlot
/// (wwwroot/metrics.js) with one time axis and cross-hair for the whole section.
/// </summary>
public sealed partial class MetricsSection : IAsyncDisposable
{
    private const string RangeParameter = "mrange";
    private const string GroupParameter = "mtg";
    private const string ZoneParameter = "maz";
    private const string LiveParameter = "mlive";

    /// <summary>The narrowest zoom: five one-minute periods.</summary>
    private static readonly TimeSpan MinimumZoom = TimeSpan.FromMinutes(5);

    private IMetricsReader? _reader;
    private TimeProvider _time = TimeProvider.System;
    private MetricRange _range = MetricRange.Default;
    private string? _targetGroup;
    private string? _zone;
    private bool _live = true;
    private bool _utc = true;
    private bool _table;
    private bool _loading;
    private bool _drawPending;
    private string? _inputError;
    private string? _customText;
    private string _loadedKey = "";
    private MetricsView? _view;
    private ElementReference _container;
    private IJSObjectReference? _module;
    private DotNetObjectReference<MetricsSection>? _self;
    private CancellationTokenSource? _load;
    private CancellationTokenSource? _liveLoop;
    private bool _disposed;
    private List<TimelineMarker> _drawnMarkers = [];
    private IDisposable? _liveLease;
    private bool _liveCapped;

    /// <summary>The load balancer's name.</summary>
    [Parameter, EditorRequired]
    public string LoadBalancer { get; set; } = "";

    /// <summary>The target group shown when the URL names none (the endpoint's own group on a shared ALB).</summary>
    [Parameter]
    public string? DefaultTargetGroup { get; set; }

    /// <summary>The cluster's changes, drawn on every chart.</summary>
    [Parameter]
    public IReadOnlyList<TimelineMarker> Markers { get; set; } = [];

    /// <summary>The endpoint the section is shown for: the dashboard's own actions on it (guided changes, smoke tests) are
    /// drawn too; null = those on every endpoint of the balancer.</summary>
    [Parameter]
    public ObjectRef? Endpoint { get; set; }

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IJSRuntime Js { get; set; } = default!;

    [Inject]
    private ILogger<MetricsSection> Logger { get; set; } = default!;

    private string ScopeValue => _zone is not null ? "az:" + _zone : _targetGroup is not null ? "tg:" + _targetGroup : "";

    protected override void OnInitialized()
    {
        _reader = Services.GetService<IMetricsReader>();
        _time = Services.GetService<TimeProvider>() ?? TimeProvider.System;
        Navigation.LocationChanged += OnLocationChanged;
        ReadUrl();
    }

    protected override async Task OnParametersSetAsync()
    {
        // The endpoint feed re-renders the page often; redraw only when the markers really changed.
        if (!_drawnMarkers.SequenceEqual(Markers))
        {
            _drawnMarkers = [.. Markers];
            _drawPending = true;
        }
        await LoadAsync(force: false);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_reader is null || _disposed)
        {
            return;
        }
        try
        {
            if (firstRender)
            {
                _module = await Js.InvokeAsync<IJSObjectReference>("import", "./_content/Dashboard.Client/metrics.js");
                _self = DotNetObjectReference.Create(this);
                var saved = await _module.InvokeAsync<string?>("loadTimeZone");
                if (saved is "local" && _utc)
                {
                    _utc = false;
                    _drawPending = true;
                    StateHasChanged();
                }
                await StartLiveAsync();
            }
            if (_drawPending && _module is not null && _view is { Charts.IsEmpty: false } && !_table)
            {
                _drawPending = false;
                await _module.InvokeAsync<int>("render", _container, _self, Payload(_view));
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone.
        }
        catch (JSException ex)
        {
            Logger.LogWarning(ex, "Drawing the metrics charts failed");
            _inputError = Localization.UiText.Get("The charts could not be drawn in this browser; use View as tables.");
        }
    }

    private void ReadUrl()
    {
        var query = QueryUrl.Read(Navigation.Uri);
        _range = MetricRange.Parse(query.Get(RangeParameter), out var error) ?? MetricRange.Default;
        _inputError = error;
        var group = query.Get(GroupParameter);
        _targetGroup = group switch
        {
            null => DefaultTargetGroup,
            "-" => null,
            _ => group,
        };
        _zone = query.Get(ZoneParameter);
        _live = _range.IsRelative && !string.Equals(query.Get(LiveParameter), "false", StringComparison.OrdinalIgnoreCase);
        _customText = _range.IsRelative ? _customText : _range.ToString();
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(async () =>
    {
        ReadUrl();
        await LoadAsync(force: false);
        StateHasChanged();
    });

    private async Task LoadAsync(bool force)
    {
        if (_reader is null || string.IsNullOrEmpty(LoadBalancer))
        {
            return;
        }
        var key = $"{LoadBalancer}|{_targetGroup}|{_zone}|{_range}";
        if (!force && key == _loadedKey)
        {
            return;
        }
        _loadedKey = key;
        if (_load is not null)
        {
            await _load.CancelAsync();
            _load.Dispose();
        }
        var load = _load = new CancellationTokenSource();
        var (start, end) = _range.Resolve(_time.GetUtcNow());
        _loading = true;
        try
        {
            var view = await _reader.ReadAsync(new MetricsRequest(LoadBalancer, _targetGroup, _zone, start, end) { Endpoint = Endpoint }, load.Token);
            if (!load.IsCancellationRequested)
            {
                _view = view;
                _drawPending = true;
            }
        }
        catch (OperationCanceledException) when (load.IsCancellationRequested)
        {
            // Replaced by a newer read.
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Reading metrics of {LoadBalancer} failed", LoadBalancer);
            _view = _view is null ? null : _view with { StaleReason = ex.Message };
            _inputError = _view is null ? $"Metrics could not be read: {ex.Message}" : null;
        }
        finally
        {
            if (!load.IsCancellationRequested)
            {
                _loading = false;
            }
        }
    }

    private async Task StartLiveAsync()
    {
        _liveLoop?.Cancel();
        _liveLoop?.Dispose();
        // One user keeps at most LiveSections.PerUser sections live over all their tabs; past it this one does not refresh.
        if (Services.GetService<LiveSections>() is { } sections && _liveLease is null)
        {
            var user = Services.GetService<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>() is { } auth
                ? (await auth.GetAuthenticationStateAsync()).User.Identity?.Name ?? ""
                : "";
            _liveLease = sections.TryEnter(user);
            if (_liveLease is null)
            {
                _liveCapped = true;
                StateHasChanged();
                return;
            }
        }
        var loop = _liveLoop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(60), _time);
            try
            {
                while (await timer.WaitForNextTickAsync(loop.Token))
                {
                    if (_live && _range.IsRelative)
                    {
                        await InvokeAsync(async () =>
                        {
                            await LoadAsync(force: true);
                            StateHasChanged();
                        });
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Section closed.
            }
        });
    }

    private object Payload(MetricsView view)
    {
        var now = _time.GetUtcNow();
        // Real ELB data for the last ~3 minutes may still arrive: shade it.
        var arrivingFrom = MetricPeriods.AlignDown(now.AddMinutes(-3), 60).ToUnixTimeSeconds();
        return new
        {
            start = view.Start.ToUnixTimeSeconds(),
            end = view.End.ToUnixTimeSeconds(),
            period = view.Period,
            utc = _utc,
            // The legend's label of the time axis (uPlot's own default is the English "Time").
            timeLabel = UiText.Get("Time"),
            arrivingFrom = view.End >= now.AddMinutes(-3) ? arrivingFrom : (long?)null,
            charts = view.Charts.Select(c => new
            {
                key = c.Definition.Key,
                unit = c.Definition.Unit.ToString(),
                series = c.Series.Select(s => new { label = Localization.UiText.Get(s.Label), times = s.Times, values = s.Values }),
            }),
            markers = OnTimeline(view)
                .Select(m => new { t = m.Time.ToUnixTimeSeconds(), kind = m.Kind, text = $"{Format(m.Time)} {(_utc ? "UTC" : "")} {m.Say?.ToString() ?? m.Text}", href = m.Href }),
        };
    }

    /// <summary>
    /// The markers drawn: the cluster's from <see cref="Markers"/> (the page's live feed, so a rollout shows at once) and the
    /// dashboard's own actions from the read (<see cref="MetricsView.Markers"/>, refreshed with every read).
    /// </summary>
    internal IEnumerable<TimelineMarker> OnTimeline(MetricsView view) => Markers
        .Concat(view.Markers.Where(m => ActionMarkers.Kinds.Contains(m.Kind)))
        .Where(m => m.Time >= view.Start && m.Time <= view.End)
        .OrderBy(m => m.Time);

    private string Format(DateTimeOffset time) => _utc
        ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private void Navigate(params (string Name, object? Value)[] changes)
    {
        var parameters = changes.ToDictionary(c => c.Name, c => c.Value);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters), replace: false);
    }

    private Task SetRangeAsync(string preset)
    {
        _inputError = null;
        Navigate((RangeParameter, preset == MetricRange.Default.Preset ? null : preset), (LiveParameter, null));
        return Task.CompletedTask;
    }

    private Task SetScopeAsync(string value)
    {
        if (value.StartsWith("az:", StringComparison.Ordinal))
        {
            Navigate((ZoneParameter, value[3..]));
        }
        else
        {
            var group = value.StartsWith("tg:", StringComparison.Ordinal) ? value[3..] : null;
            Navigate((GroupParameter, group == DefaultTargetGroup ? null : group ?? "-"), (ZoneParameter, null));
        }
        return Task.CompletedTask;
    }

    private Task SetLiveAsync(bool live)
    {
        Navigate((LiveParameter, live ? null : "false"));
        return Task.CompletedTask;
    }

    private async Task SetUtcAsync(bool utc)
    {
        _utc = utc;
        _drawPending = true;
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("saveTimeZone", utc ? "utc" : "local");
            }
            catch (JSDisconnectedException)
            {
                // Nothing to remember it in.
            }
        }
    }

    private Task ToggleTableAsync()
    {
        _table = !_table;
        _drawPending = !_table;
        return Task.CompletedTask;
    }

    private async Task CustomKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await ApplyCustomAsync();
        }
    }

    private Task ApplyCustomAsync()
    {
        var range = MetricRange.Parse(_customText?.Trim(), out var error);
        if (range is null || string.IsNullOrWhiteSpace(_customText))
        {
            _inputError = error ?? "range: type start~end in ISO 8601, e.g. 2025-06-04T14:00Z~2025-06-04T15:00Z.";
            return Task.CompletedTask;
        }
        _inputError = null;
        Navigate((RangeParameter, range.ToString()), (LiveParameter, null));
        return Task.CompletedTask;
    }

    /// <summary>A drag over a chart: show [min, max] (epoch seconds) at the finer period it allows.</summary>
    [JSInvokable]
    public Task Zoom(long min, long max)
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(min);
        var end = DateTimeOffset.FromUnixTimeSeconds(max);
        if (end - start < MinimumZoom)
        {
            var middle = start + ((end - start) / 2);
            start = middle - (MinimumZoom / 2);
            end = middle + (MinimumZoom / 2);
        }
        return InvokeAsync(() => Navigate((RangeParameter, MetricRange.Fixed(start, end).ToString()), (LiveParameter, null)));
    }

    /// <summary>A double-click: twice the width around the same middle, never past now (a preset: the next longer one).</summary>
    [JSInvokable]
    public Task ZoomOut()
    {
        var now = _time.GetUtcNow();
        if (_range.IsRelative)
        {
            var index = MetricRange.Presets.Select(p => p.Name).ToList().IndexOf(_range.Preset!);
            return index < MetricRange.Presets.Length - 1 ? InvokeAsync(() => SetRangeAsync(MetricRange.Presets[index + 1].Name)) : Task.CompletedTask;
        }
        var (start, end) = _range.Resolve(now);
        var width = end - start;
        var newEnd = end + (width / 2) > now ? now : end + (width / 2);
        var newStart = newEnd - (width * 2);
        return InvokeAsync(() => Navigate((RangeParameter, MetricRange.Fixed(newStart, newEnd).ToString()), (LiveParameter, null)));
    }

    private async Task DownloadCsvAsync()
    {
        if (_view is null || _module is null)
        {
            return;
        }
        try
        {
            await _module.InvokeVoidAsync("downloadText", $"{LoadBalancer}-metrics.csv", MetricCsv.Build(_view), "text/csv");
        }
        catch (JSDisconnectedException)
        {
            // Nobody to download to.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        Navigation.LocationChanged -= OnLocationChanged;
        _liveLoop?.Cancel();
        _liveLoop?.Dispose();
        _liveLease?.Dispose();
        _load?.Cancel();
        _load?.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("destroy", _container);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone.
            }
        }
        _self?.Dispose();
    }
}
