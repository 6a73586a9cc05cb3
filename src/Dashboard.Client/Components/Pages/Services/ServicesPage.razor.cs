using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Client.Components.Pages.Services;

/// <summary>Every Service across namespaces, live, filtered by the URL.</summary>
public sealed partial class ServicesPage
{
    private readonly ServiceListModel _model = new();

    protected override string PagePath => DashboardUrls.Services;

    protected override IFeed<ServiceViewModel> ListFeed => Feed.Services;

    protected override ObjectKind Kind => ObjectKind.Service;

    protected override LiveList<ServiceViewModel> Items => _model.Items;

    protected override ListQuery Query => _model.Query;

    protected override void ApplyQuery(ListQuery query) => _model.SetQuery(query);

    private void SetType(string? type) => Navigate(Query with { Type = type }, replace: false);

    private void SetScheme(string? scheme) => Navigate(Query with { Scheme = scheme }, replace: false);
}
