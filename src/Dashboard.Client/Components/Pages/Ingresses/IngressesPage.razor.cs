using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Client.Components.Pages.Ingresses;

/// <summary>Every Ingress across namespaces, live, filtered by the URL.</summary>
public sealed partial class IngressesPage
{
    private readonly IngressListModel _model = new();

    protected override string PagePath => DashboardUrls.Ingresses;

    protected override IFeed<IngressViewModel> ListFeed => Feed.Ingresses;

    protected override ObjectKind Kind => ObjectKind.Ingress;

    protected override LiveList<IngressViewModel> Items => _model.Items;

    protected override ListQuery Query => _model.Query;

    protected override void ApplyQuery(ListQuery query) => _model.SetQuery(query);

    private void SetClass(string? ingressClass) => Navigate(Query with { Class = ingressClass }, replace: false);
}
