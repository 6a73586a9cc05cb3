using System.Globalization;
using System.Resources;

namespace Dashboard.Client.Localization;

/// <summary>
/// The UI's texts: <c>UiText.resx</c> (English) and <c>UiText.vi.resx</c> (Vietnamese), keyed by the English text itself,
/// so a page reads as English in its markup and a missing translation falls back to English. Components use the
/// injected <c>IStringLocalizer&lt;UiText&gt; L</c> (<c>@L["Load balancers"]</c>); plain C# helpers use <see cref="Get"/>.
/// Texts computed on the server for every viewer that never vary (a checklist title, a lint title) are looked up here by
/// their English text as well. See docs/i18n.md.
/// </summary>
public sealed class UiText
{
    private UiText()
    {
    }

    /// <summary>The resources behind the localizer, for helpers outside a component.</summary>
    public static ResourceManager ResourceManager { get; } = new("Dashboard.Client.Localization.UiText", typeof(UiText).Assembly);

    /// <summary><paramref name="english"/> in the current viewer's language (itself when not translated).</summary>
    public static string Get(string english) => ResourceManager.GetString(english, CultureInfo.CurrentUICulture) ?? english;

    /// <summary>A template looked up as <see cref="Get"/>, filled with <paramref name="args"/> in the viewer's number format.</summary>
    public static string Format(string englishTemplate, params object?[] args) =>
        string.Format(DashboardCultures.Format, Get(englishTemplate), args);
}
