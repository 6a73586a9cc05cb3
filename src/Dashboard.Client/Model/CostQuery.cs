using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>
/// The Cost page's filters as carried in its URL, so a pasted link opens the same view:
/// <c>/cost?ns=mlops&amp;type=application&amp;idle=true</c>.
/// </summary>
public sealed record CostQuery
{
    public static CostQuery Empty { get; } = new();

    /// <summary>Balancer types the <c>type</c> filter accepts.</summary>
    public static ImmutableArray<string> Types { get; } = ["application", "network"];

    /// <summary>Namespace filter (<c>ns</c>): balancers with an owner in it.</summary>
    public string? Namespace { get; init; }

    /// <summary>Balancer type filter (<c>type</c>): application or network.</summary>
    public string? Type { get; init; }

    /// <summary>Only idle or orphan balancers (<c>idle=true</c>): the ones worth deleting.</summary>
    public bool IdleOnly { get; init; }

    /// <summary>Reads the filters from an absolute or relative URI; unknown parameters and values are ignored.</summary>
    public static CostQuery Parse(string uri)
    {
        var query = QueryUrl.Read(uri);
        return query.IsEmpty ? Empty : new CostQuery
        {
            Namespace = query.Get("ns"),
            Type = query.OneOf("type", Types),
            IdleOnly = query.IsTrue("idle"),
        };
    }

    /// <summary>The relative URL of the Cost page with these filters.</summary>
    public string ToUrl() => QueryUrl.Build(DashboardUrls.Cost, ("ns", Namespace), ("type", Type), ("idle", IdleOnly ? "true" : null));

    /// <summary>The balancers these filters keep, most expensive first.</summary>
    public ImmutableArray<BalancerCost> Apply(IEnumerable<BalancerCost> balancers) =>
    [
        .. balancers
            .Where(b => Namespace is null || b.Owners.Any(o => o.Namespace == Namespace) || (b.Owners.IsEmpty && b.Namespace == Namespace))
            .Where(b => Type is null || b.Type == Type)
            .Where(b => !IdleOnly || b.Idle || b.Orphan)
            .OrderByDescending(b => b.Projected)
            .ThenBy(b => b.Name, StringComparer.Ordinal),
    ];
}
