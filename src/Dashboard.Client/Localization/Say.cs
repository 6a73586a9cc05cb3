namespace Dashboard.Client.Localization;

/// <summary>How a component writes a text the server computed for every viewer, in the current viewer's language.</summary>
public static class Say
{
    /// <summary>
    /// <paramref name="text"/> in the viewer's language when the server carried a message key; otherwise the English
    /// <paramref name="english"/> looked up as a UI text (constant texts are translated by their English, see docs/i18n.md).
    /// </summary>
    public static string Text(LocalText? text, string english) => text?.ToString() ?? UiText.Get(english);
}
