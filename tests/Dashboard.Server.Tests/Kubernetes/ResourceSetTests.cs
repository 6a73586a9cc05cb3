using Dashboard.Server.Kubernetes;
using k8s;
using k8s.Models;

namespace Dashboard.Server.Tests.Kubernetes;

public class ResourceSetTests
{
    private static V1Service Service(string uid, string resourceVersion, string name = "api") => new()
    {
        Metadata = new V1ObjectMeta { Uid = uid, Name = name, NamespaceProperty = "mlops", ResourceVersion = resourceVersion },
    };

    [Fact]
    public void Added_then_modified_with_a_newer_version_replaces()
    {
        var set = new ResourceSet<V1Service>();

        var added = set.Apply(WatchEventType.Added, Service("u1", "10"));
        var modified = set.Apply(WatchEventType.Modified, Service("u1", "11"));

        Assert.Equal(ResourceChangeKind.Upsert, added!.Kind);
        Assert.Null(added.Previous);
        Assert.Equal("10", modified!.Previous!.Metadata.ResourceVersion);
        Assert.True(set.TryGet("u1", out var held));
        Assert.Equal("11", held!.Metadata.ResourceVersion);
    }

    [Theory]
    [InlineData("9")]
    [InlineData("10")]
    public void Events_older_than_or_equal_to_the_held_version_are_ignored(string stale)
    {
        var set = new ResourceSet<V1Service>();
        set.Apply(WatchEventType.Added, Service("u1", "10"));

        Assert.Null(set.Apply(WatchEventType.Modified, Service("u1", stale)));
        set.TryGet("u1", out var held);
        Assert.Equal("10", held!.Metadata.ResourceVersion);
    }

    [Fact]
    public void Versions_compare_numerically_not_as_text()
    {
        var set = new ResourceSet<V1Service>();
        set.Apply(WatchEventType.Added, Service("u1", "9"));

        Assert.NotNull(set.Apply(WatchEventType.Modified, Service("u1", "10")));
        Assert.Null(set.Apply(WatchEventType.Modified, Service("u1", "9")));
        Assert.True(ResourceVersions.IsNewer("100", "99"));
        Assert.False(ResourceVersions.IsNewer("99", "100"));
    }

    [Fact]
    public void Non_numeric_versions_are_only_compared_for_equality()
    {
        Assert.True(ResourceVersions.IsNewer("abc", "abd"));
        Assert.False(ResourceVersions.IsNewer("abc", "abc"));
        Assert.False(ResourceVersions.IsOlder("abc", "abd"));
    }

    [Fact]
    public void Delete_removes_and_reports_the_held_object_but_a_stale_or_unknown_delete_is_ignored()
    {
        var set = new ResourceSet<V1Service>();
        set.Apply(WatchEventType.Added, Service("u1", "10"));

        Assert.Null(set.Apply(WatchEventType.Deleted, Service("u1", "8")));
        Assert.Null(set.Apply(WatchEventType.Deleted, Service("unknown", "20")));
        var deleted = set.Apply(WatchEventType.Deleted, Service("u1", "12"));

        Assert.Equal(ResourceChangeKind.Delete, deleted!.Kind);
        Assert.Equal("10", deleted.Object.Metadata.ResourceVersion);
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void Relist_replaces_the_set_emitting_upserts_for_changes_and_deletes_for_vanished_objects()
    {
        var set = new ResourceSet<V1Service>();
        set.Replace([Service("keep", "10", "keep"), Service("change", "11", "change"), Service("gone", "12", "gone")]);

        var changes = set.Replace([Service("keep", "10", "keep"), Service("change", "20", "change"), Service("new", "21", "new")]);

        Assert.Equal(
            ["Delete gone", "Upsert change", "Upsert new"],
            changes.Select(c => $"{c.Kind} {c.Object.Metadata.Name}").Order(StringComparer.Ordinal));
        Assert.Equal(3, set.Count);
        Assert.False(set.TryGet("gone", out _));
    }

    [Fact]
    public void Objects_without_uid_and_bookmarks_change_nothing()
    {
        var set = new ResourceSet<V1Service>();

        Assert.Null(set.Apply(WatchEventType.Added, new V1Service { Metadata = new V1ObjectMeta { Name = "x", ResourceVersion = "1" } }));
        Assert.Null(set.Apply(WatchEventType.Bookmark, Service("u1", "5")));
        Assert.Equal(0, set.Count);
    }
}
