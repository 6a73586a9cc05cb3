using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// One page of a list (<c>limit</c> / <c>continue</c>). The continue token names the last key served, so the next page
/// starts after it in the store's (namespace, name) order, as etcd's key order does.
/// </summary>
internal sealed record ListPage(IReadOnlyList<JsonObject> Items, string? Continue, long Remaining, long ResourceVersion)
{
    public static ListPage Take(ResourceStore store, ResourceType type, string? ns, Func<JsonObject, bool> predicate, string? limitText, string? continueToken)
    {
        var (after, limit) = Parse(limitText, continueToken);
        return From(store.ListPage(type, ns, predicate, after, limit));
    }

    /// <summary>The page's items written as a JSON array into <paramref name="items"/> (no copies); <see cref="Items"/> stays empty.</summary>
    public static ListPage Write(ResourceStore store, ResourceType type, string? ns, Func<JsonObject, bool> predicate, string? limitText, string? continueToken,
        System.Text.Json.Utf8JsonWriter items, System.Text.Json.JsonSerializerOptions options)
    {
        var (after, limit) = Parse(limitText, continueToken);
        return From(store.WritePage(type, ns, predicate, after, limit, items, options));
    }

    private static (string? After, int Limit) Parse(string? limitText, string? continueToken)
    {
        var after = string.IsNullOrEmpty(continueToken) ? null : DecodeContinue(continueToken);
        var limit = 0L;
        if (!string.IsNullOrEmpty(limitText) && !long.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
        {
            throw StoreException.BadRequest($"limit: Invalid value: \"{limitText}\": must be a non-negative integer");
        }
        return (after, (int)Math.Min(limit, int.MaxValue));
    }

    private static ListPage From(StorePage page)
    {
        if (page.LastKey is null)
        {
            return new ListPage(page.Items, null, 0, page.ResourceVersion);
        }
        var token = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = page.ResourceVersion, ["start"] = page.LastKey };
        return new ListPage(page.Items, Convert.ToBase64String(Encoding.UTF8.GetBytes(token.ToJsonString())), page.Remaining, page.ResourceVersion);
    }

    private static string DecodeContinue(string token)
    {
        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            return json?["start"]?.ToString() ?? throw new FormatException("no start key");
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw new StoreException(HttpStatusCode.BadRequest, "BadRequest", "continue key is not valid: " + e.Message);
        }
    }
}
