namespace Dashboard.Server.Authentication;

/// <summary>
/// The one rule for every return URL the dashboard accepts (sign-in, sign-out, access-denied): a path on this site as a
/// browser will read it, or the home page. Browsers drop tabs and newlines anywhere in a URL, trim spaces and control
/// characters, read <c>\</c> as <c>/</c> and <c>//host</c> as another site, so any of those, and anything that is not
/// printable ASCII, falls back to <c>/</c>. The check is repeated on the percent-decoded value, so an encoded
/// <c>//</c>, backslash or control character is refused too.
/// </summary>
public static class ReturnUrl
{
    /// <summary>Where the browser goes when the requested return URL is not acceptable.</summary>
    public const string Home = "/";

    /// <summary><paramref name="value"/> when it is a local path by the rule above, else <see cref="Home"/>. Never throws.</summary>
    public static string LocalOrHome(string? value) => IsLocal(value) ? value! : Home;

    /// <summary>Whether <paramref name="value"/> (as received, already decoded once from the query) is a local path.</summary>
    public static bool IsLocal(string? value)
    {
        if (!IsLocalPathText(value))
        {
            return false;
        }
        // The same value with every percent-encoding undone (a few rounds: double encoding is an old trick).
        var decoded = value!;
        for (var round = 0; round < 3; round++)
        {
            string next;
            try
            {
                next = Uri.UnescapeDataString(decoded);
            }
            catch (UriFormatException)
            {
                return false;
            }
            if (next == decoded)
            {
                break;
            }
            decoded = next;
        }
        if (decoded.Length > 1 && (decoded[1] == '/' || decoded[1] == '\\'))
        {
            return false;
        }
        // The path (not the query, where an encoded space in a search is harmless) must stay clean once decoded.
        var queryStart = decoded.IndexOfAny(['?', '#']);
        var path = queryStart < 0 ? decoded : decoded[..queryStart];
        return !path.Any(character => character == '\\' || char.IsControl(character) || char.IsWhiteSpace(character));
    }

    private static bool IsLocalPathText(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2048 || value[0] != '/')
        {
            return false;
        }
        if (value.Length > 1 && (value[1] == '/' || value[1] == '\\'))
        {
            return false;
        }
        // Printable ASCII only, without backslash: no control characters, whitespace (U+3000 included) or look-alikes.
        return value.All(character => character is > ' ' and < (char)0x7F && character != '\\');
    }
}
