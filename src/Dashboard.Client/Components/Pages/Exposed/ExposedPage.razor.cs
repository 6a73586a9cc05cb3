using Dashboard.Client.Exposed;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Microsoft.JSInterop;

namespace Dashboard.Client.Components.Pages.Exposed;

/// <summary>
/// Every URL and DNS name exposed through a load balancer, with its scheme, type, source ranges, WAF and TLS, live and
/// filtered by the URL (namespace, type, scheme, search, sort). Enter opens the endpoint page, c copies the DNS name;
/// Download CSV writes the rows shown.
/// </summary>
public sealed partial class ExposedPage
{
    private readonly ExposedListModel _model = new();
    private ExposedFeed? _feed;
    private IJSObjectReference? _module;

    protected override string PagePath => "exposed";

    protected override IFeed<ExposedEndpoint> ListFeed => _feed ??= new ExposedFeed(Feed);

    protected override ILiveRows<ExposedEndpoint> Rows => Items;

    protected override ListQuery Query => _model.Query;

    private LiveList<ExposedEndpoint> Items => _model.Items;

    protected override void ApplyQuery(ListQuery query) => _model.SetQuery(query);

    private void SetNamespace(string? ns) => Navigate(Query with { Namespace = ns }, replace: false);

    private void SetSearch(string? text) => Navigate(Query with { Search = text }, replace: true);

    private void SetType(string? type) => Navigate(Query with { Type = type }, replace: false);

    private void SetScheme(string? scheme) => Navigate(Query with { Scheme = scheme }, replace: false);

    private void Select(string key) => CursorKey = key;

    protected override Task OnEnterAsync(string? cursor)
    {
        if (cursor is not null && Items.Find(cursor) is { } row)
        {
            Navigation.NavigateTo(TopologyUrls.Endpoint(row.Endpoint));
        }
        return Task.CompletedTask;
    }

    protected override async Task OnKeyAsync(string key, string? cursor)
    {
        if (key == "c" && cursor is not null && Items.Find(cursor) is { DnsName: { } dns } && Browser is not null)
        {
            await Browser.CopyTextAsync(dns);
        }
    }

    /// <summary>The rows shown (filters and order as on screen) as CSV, through the download helper the Metrics section uses.</summary>
    private async Task DownloadCsvAsync()
    {
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./_content/Dashboard.Client/metrics.js");
            await _module.InvokeVoidAsync("downloadText", "exposed-endpoints.csv", ExposedEndpoints.ToCsv(Items.View), "text/csv");
        }
        catch (JSDisconnectedException)
        {
            // Nobody to download to.
        }
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
            }
        }
    }
}
