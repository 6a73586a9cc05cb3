using System.Globalization;
using System.Xml.Linq;

namespace Dashboard.Server.Aws;

/// <summary>Namespace-agnostic reading of AWS Query protocol XML (<c>&lt;List&gt;&lt;member&gt;…</c>).</summary>
internal static class AwsXml
{
    public static XElement? Child(this XElement? element, string localName) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public static string? Text(this XElement? element, string localName)
    {
        var child = element.Child(localName);
        return child is null ? null : child.Value;
    }

    public static string RequiredText(this XElement element, string localName) =>
        element.Text(localName) ?? throw new FormatException($"AWS response element <{element.Name.LocalName}> has no <{localName}>.");

    public static int? Int(this XElement? element, string localName) =>
        int.TryParse(element.Text(localName), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static bool? Bool(this XElement? element, string localName) =>
        element.Text(localName) is { } text ? string.Equals(text.Trim(), "true", StringComparison.OrdinalIgnoreCase) : null;

    public static DateTimeOffset? Timestamp(this XElement? element, string localName) =>
        DateTimeOffset.TryParse(element.Text(localName), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    /// <summary>The <c>member</c> elements of the list element <paramref name="listName"/>.</summary>
    public static IEnumerable<XElement> Members(this XElement? element, string listName) =>
        element.Child(listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    public static IReadOnlyList<string> StringMembers(this XElement? element, string listName) =>
        element.Members(listName).Select(m => m.Value).ToArray();
}
