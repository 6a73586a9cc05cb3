using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Model;

public class ServiceListModelTests
{
    [Theory]
    [InlineData("forecast", true)]
    [InlineData("MLOPS forecast", true)]
    [InlineData("k8s-mlops-retailfo", true)]
    [InlineData("internet-facing", true)]
    [InlineData("10.100.0.10", true)]
    [InlineData("forecast payments", false)]
    public void Search_matches_every_term_in_name_namespace_addresses_and_annotation_values(string search, bool expected)
    {
        Assert.Equal(expected, ServiceListModel.Matches(Objects.ForecastNlb(), new ListQuery { Search = search }));
    }

    [Fact]
    public void Namespace_and_type_filters_are_exact()
    {
        var nlb = Objects.ForecastNlb();

        Assert.True(ServiceListModel.Matches(nlb, new ListQuery { Namespace = "mlops", Type = "loadbalancer" }));
        Assert.False(ServiceListModel.Matches(nlb, new ListQuery { Namespace = "mlop" }));
        Assert.False(ServiceListModel.Matches(nlb, new ListQuery { Type = "ClusterIP" }));
    }

    [Fact]
    public void Search_and_the_scheme_filter_match_the_decoded_scheme_not_only_annotation_text()
    {
        // In-tree NLB: internet-facing by default, no scheme annotation to match.
        var byDefault = Objects.Service("mlops", "legacy-nlb", "LoadBalancer") with
        {
            LoadBalancer = new LoadBalancerFacts { Controller = LoadBalancerController.InTree, BalancerType = "nlb", Scheme = "internet-facing", TargetType = "instance" },
        };
        var internalNlb = Objects.Service("mlops", "private-nlb", "LoadBalancer") with
        {
            LoadBalancer = new LoadBalancerFacts { Controller = LoadBalancerController.AwsLoadBalancerController, BalancerType = "nlb", Scheme = "internal", TargetType = "ip" },
        };

        Assert.True(ServiceListModel.Matches(byDefault, new ListQuery { Search = "internet-facing" }));
        Assert.False(ServiceListModel.Matches(internalNlb, new ListQuery { Search = "internet-facing" }));
        Assert.True(ServiceListModel.Matches(byDefault, new ListQuery { Scheme = "internet-facing" }));
        Assert.False(ServiceListModel.Matches(internalNlb, new ListQuery { Scheme = "internet-facing" }));
        Assert.True(ServiceListModel.Matches(internalNlb, new ListQuery { Scheme = "internal" }));
        Assert.False(ServiceListModel.Matches(Objects.Service("mlops", "plain"), new ListQuery { Scheme = "internal" }));
    }

    [Fact]
    public void The_scheme_filter_is_carried_in_the_url()
    {
        var query = ListQuery.Parse("/services?type=LoadBalancer&scheme=internet-facing");

        Assert.Equal("internet-facing", query.Scheme);
        Assert.Equal("/services?type=LoadBalancer&scheme=internet-facing", query.ToUrl("/services"));
        Assert.True(query.FiltersDiffer(query with { Scheme = null }));
    }

    [Fact]
    public void Sort_by_age_puts_the_youngest_first_and_minus_reverses()
    {
        var model = new ServiceListModel();
        model.Items.Reset(
        [
            Objects.Service("a", "old", createdAt: Objects.Now.AddDays(-30)),
            Objects.Service("a", "new", createdAt: Objects.Now.AddMinutes(-5)),
            Objects.Service("a", "mid", createdAt: Objects.Now.AddHours(-5)),
        ]);

        model.SetQuery(new ListQuery { Sort = "age" });
        Assert.Equal(["new", "mid", "old"], model.Items.View.Select(s => s.Name));

        model.SetQuery(new ListQuery { Sort = "-age" });
        Assert.Equal(["old", "mid", "new"], model.Items.View.Select(s => s.Name));
    }

    [Fact]
    public void Changing_only_the_selection_does_not_rebuild_the_view()
    {
        var model = new ServiceListModel();
        model.Items.Reset([Objects.Service("a", "x")]);
        model.SetQuery(new ListQuery { Namespace = "a" });
        var version = model.Items.Version;

        model.SetQuery(model.Query with { Selected = "a/x" });

        Assert.Equal(version, model.Items.Version);
    }

    [Fact]
    public void Ingress_search_covers_hosts_paths_and_backends_and_class_filter_is_exact()
    {
        var ingress = Objects.ForecastIngress();

        Assert.True(IngressListModel.Matches(ingress, new ListQuery { Search = "forecast.example" }));
        Assert.True(IngressListModel.Matches(ingress, new ListQuery { Search = "retail-forecast-api" }));
        Assert.True(IngressListModel.Matches(ingress, new ListQuery { Class = "alb" }));
        Assert.False(IngressListModel.Matches(ingress, new ListQuery { Class = "nginx" }));
        Assert.False(IngressListModel.Matches(ingress with { Annotations = ImmutableDictionary<string, string>.Empty }, new ListQuery { Search = "zzz" }));
    }
}
