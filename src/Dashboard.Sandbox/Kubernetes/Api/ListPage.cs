using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// One page of a list (<c>limit</c> / <c>continue</c>). The continue token names the last key served, so the next page
/// starts after it in the store's (namespace, name) order, as etcd's key order does.
/// </summary>
internal sealed record ListPage(IReadOnlyList<JsonObject> Items, string? Continue, long Remaining)
{
    public static ListPage Take(StoreList list, string? limitText, string? continueToken)
    {
        var items = list.Items;
        if (!string.IsNullOrEmpty(continueToken))
        {
            var after = DecodeContinue(continueToken);
            items = items.Where(i => string.CompareOrdinal(Key(i), after) > 0).ToList();
        }
        if (string.IsNullOrEmpty(limitText))
        {
            return new ListPage(items, null, 0);
        }
        if (!long.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
        {
            throw StoreException.BadRequest($"limit: Invalid value: \"{limitText}\": must be a non-negative integer");
        }
        if (limit == 0 || items.Count <= limit)
        {
            return new ListPage(items, null, 0);
        }
        var page = items.Take((int)limit).ToList();
        var token = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = list.ResourceVersion, ["start"] = Key(page[^1]) };
        return new ListPage(page, Convert.ToBase64String(Encoding.UTF8.GetBytes(token.ToJsonString())), items.Count - page.Count);
    }

    private static string Key(JsonObject item)
    {
        var ns = item["metadata"]?["namespace"]?.ToString();
        var name = item["metadata"]?["name"]?.ToString() ?? "";
        return string.IsNullOrEmpty(ns) ? name : ns + "/" + name;
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
