using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dashboard.Server.Api;

/// <summary>
/// Keyset paging for every /api/v1 list: rows sorted by a unique key (ordinal), a page is the rows after the key in the
/// continue token. The token is opaque to clients (base64url of the list's name and the last key), the same for the same
/// snapshot and request, and walks every row exactly once; one made for another list, or not made here at all, is refused.
/// </summary>
public static partial class ApiPaging
{
    /// <summary>Rows per page when <c>limit</c> is not given.</summary>
    public const int DefaultLimit = 500;

    /// <summary>The largest <c>limit</c> accepted.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The parsed paging and filter parameters of a list request, or what was wrong with them.</summary>
    public sealed record ListRequest(int Limit, string? After, string? Namespace);

    /// <summary>
    /// Validates <c>limit</c>, <c>continue</c> and <c>namespace</c>. Returns the request, or a problem: 400 for a continue token
    /// that is not one of this list's, 422 (with <c>errors</c> per parameter) for values out of range.
    /// </summary>
    public static (ListRequest? Request, IResult? Problem) Parse(string list, string? limit, string? continueToken, string? @namespace)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var parsedLimit = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out parsedLimit)
            || parsedLimit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];
        }
        if (@namespace is not null && !IsNamespaceName(@namespace))
        {
            errors["namespace"] = ["namespace must be a Kubernetes namespace name (lower-case letters, digits and '-', at most 63 characters)."];
        }
        if (errors.Count > 0)
        {
            return (null, ApiProblems.Validation(errors));
        }
        string? after = null;
        if (continueToken is not null && !TryDecode(list, continueToken, out after))
        {
            return (null, ApiProblems.BadRequest("badContinueToken", "The continue token is not valid for this list.",
                "Pass the continue value of the previous page unchanged, or omit it to start from the first page."));
        }
        return (new ListRequest(parsedLimit, after, @namespace), null);
    }

    /// <summary>The page of <paramref name="rows"/> (any order) after the request's key, sorted by <paramref name="key"/>.</summary>
    public static ListPage<T> Page<T>(string list, IEnumerable<T> rows, Func<T, string> key, ListRequest request)
    {
        var sorted = rows
            .Select(row => (Key: key(row), Row: row))
            .Where(r => request.After is null || string.CompareOrdinal(r.Key, request.After) > 0)
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Take(request.Limit + 1)
            .ToList();
        var more = sorted.Count > request.Limit;
        var page = more ? sorted[..request.Limit] : sorted;
        return new ListPage<T>([.. page.Select(r => r.Row)], more ? Encode(list, page[^1].Key) : null);
    }

    public static bool IsNamespaceName(string value) => value.Length <= 63 && NamespaceName().IsMatch(value);

    private static string Encode(string list, string key) =>
        Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(new Token(list, key), TokenJson.Default.Token));

    private static bool TryDecode(string list, string token, out string? after)
    {
        after = null;
        try
        {
            var decoded = JsonSerializer.Deserialize(Base64UrlDecode(token), TokenJson.Default.Token);
            if (decoded is { L: { } l, A: { } a } && l == list)
            {
                after = a;
                return true;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            // Not one of ours.
        }
        return false;
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        if (text.Length > 4096)
        {
            throw new FormatException("Too long.");
        }
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        return Convert.FromBase64String(padded);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceName();

    /// <summary>The token's content: the list it belongs to and the last key returned.</summary>
    internal sealed record Token(string? L, string? A);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(ApiPaging.Token))]
internal sealed partial class TokenJson : System.Text.Json.Serialization.JsonSerializerContext;
