using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Model;

public class LiveListTests
{
    private static ServiceListModel ModelWith(params ServiceViewModel[] services)
    {
        var model = new ServiceListModel();
        model.Items.Reset(services);
        return model;
    }

    private static string[] Keys(ServiceListModel model) => [.. model.Items.View.Select(s => s.Key)];

    [Fact]
    public void Snapshot_is_sorted_by_namespace_then_name()
    {
        var model = ModelWith(Objects.Service("b", "x"), Objects.Service("a", "z"), Objects.Service("a", "y"));

        Assert.Equal(["a/y", "a/z", "b/x"], Keys(model));
    }

    [Fact]
    public void Upserts_and_deletes_keep_the_view_sorted_and_match_a_full_recompute()
    {
        var model = ModelWith([.. Enumerable.Range(0, 50).Select(i => Objects.Service($"ns{i % 5}", $"svc{i:D2}"))]);
        model.SetQuery(new ListQuery { Search = "svc1" });

        model.Items.Apply(
        [
            FeedChange<ServiceViewModel>.Upsert("ns0/svc1a", Objects.Service("ns0", "svc1a")),
            FeedChange<ServiceViewModel>.Delete("ns1/svc11"),
            FeedChange<ServiceViewModel>.Upsert("ns2/svc12", Objects.Service("ns2", "svc12", "LoadBalancer")),
            FeedChange<ServiceViewModel>.Upsert("ns3/other", Objects.Service("ns3", "other")),
            FeedChange<ServiceViewModel>.Delete("ns9/never-existed"),
        ]);

        var expected = model.Items.All
            .Where(s => ServiceListModel.Matches(s, model.Query))
            .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => s.Key);
        Assert.Equal(expected, Keys(model));
        Assert.Contains("ns0/svc1a", Keys(model));
        Assert.DoesNotContain("ns1/svc11", Keys(model));
        Assert.DoesNotContain("ns3/other", Keys(model));
        Assert.Equal(51, model.Items.TotalCount); // 50 + two new - one deleted
    }

    [Fact]
    public void An_upsert_that_stops_matching_the_filter_leaves_the_view()
    {
        var model = ModelWith(Objects.Service("a", "web", "LoadBalancer"), Objects.Service("a", "db", "LoadBalancer"));
        model.SetQuery(new ListQuery { Type = "LoadBalancer" });

        model.Items.Apply([FeedChange<ServiceViewModel>.Upsert("a/web", Objects.Service("a", "web", "ClusterIP"))]);

        Assert.Equal(["a/db"], Keys(model));
        Assert.Equal("ClusterIP", model.Items.Find("a/web")!.Type);
    }

    [Fact]
    public void A_large_batch_is_applied_by_rebuilding_with_the_same_result()
    {
        var model = ModelWith([.. Enumerable.Range(0, 100).Select(i => Objects.Service("ns", $"s{i:D3}"))]);
        var batch = Enumerable.Range(0, 100)
            .Select(i => i % 2 == 0
                ? FeedChange<ServiceViewModel>.Delete($"ns/s{i:D3}")
                : FeedChange<ServiceViewModel>.Upsert($"ns/s{i:D3}", Objects.Service("ns", $"s{i:D3}", "NodePort")))
            .ToList();

        model.Items.Apply(batch);

        Assert.Equal(50, model.Items.View.Count);
        Assert.All(model.Items.View, s => Assert.Equal("NodePort", s.Type));
        Assert.Equal(Keys(model).Order(StringComparer.Ordinal), Keys(model));
    }

    [Fact]
    public void Namespace_counts_follow_changes()
    {
        var model = ModelWith(Objects.Service("a", "1"), Objects.Service("a", "2"), Objects.Service("b", "1"));

        model.Items.Apply([FeedChange<ServiceViewModel>.Delete("b/1"), FeedChange<ServiceViewModel>.Upsert("c/1", Objects.Service("c", "1"))]);

        Assert.Equal([new("a", 2), new("c", 1)], model.Items.Namespaces);
    }

    [Fact]
    public void IndexOf_finds_visible_rows_only()
    {
        var model = ModelWith(Objects.Service("a", "x"), Objects.Service("b", "y"));
        model.SetQuery(new ListQuery { Namespace = "b" });

        Assert.Equal(0, model.Items.IndexOf("b/y"));
        Assert.Equal(-1, model.Items.IndexOf("a/x"));
        Assert.Equal(-1, model.Items.IndexOf("nope/nope"));
    }
}
