namespace Dashboard.Client.Localization;

/// <summary>How a component writes a text the server computed for every viewer, in the current viewer's language.</summary>
public static class Say
{
    /// <summary>
    /// <paramref name="text"/> in the viewer's language when the server carried a message key; otherwise the English
    /// <paramref name="english"/> looked up as a UI text, exactly or by a template with placeholders (<see cref="ServerText"/>, docs/i18n.md).
    /// </summary>
    public static string Text(LocalText? text, string english) => text?.ToString() ?? ServerText.Get(english);

    /// <summary>A text the server computed in English, in the viewer's language (see <see cref="ServerText"/>).</summary>
    public static string Text(string? english) => ServerText.Get(english);
}
