using System.Text.Json;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>The error texts of Go's encoding/json, which the controller's events quote, for the common malformed inputs.</summary>
internal static class GoJson
{
    /// <summary>
    /// Go's error for a document that is not JSON (empty or cut-off input, a bad first character, a misspelt literal),
    /// or null when it parses; other syntax errors get a plain description with the offset.
    /// </summary>
    public static string? SyntaxError(string raw)
    {
        try
        {
            using var _ = JsonDocument.Parse(raw);
            return null;
        }
        catch (JsonException e)
        {
            var text = raw.TrimStart();
            if (text.Length == 0)
            {
                return "unexpected end of JSON input";
            }
            foreach (var literal in (ReadOnlySpan<string>)["true", "false", "null"])
            {
                if (text[0] != literal[0])
                {
                    continue;
                }
                for (var i = 1; i < literal.Length; i++)
                {
                    if (i >= text.Length)
                    {
                        return "unexpected end of JSON input";
                    }
                    if (text[i] != literal[i])
                    {
                        return $"invalid character '{text[i]}' in literal {literal} (expecting '{literal[i]}')";
                    }
                }
            }
            if (text[0] is not ('{' or '[' or '"' or '-' or (>= '0' and <= '9')))
            {
                return $"invalid character '{text[0]}' looking for beginning of value";
            }
            var position = (int)(e.BytePositionInLine ?? 0);
            return position >= raw.TrimEnd().Length ? "unexpected end of JSON input" : $"invalid JSON at offset {position}";
        }
    }
}
