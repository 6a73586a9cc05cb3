using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Dashboard.Client.Localization;

/// <summary>
/// MudBlazor's own labels (the clear button of a search field, tab scrolling) in the viewer's language: MudBlazor asks
/// its localizer for keys such as <c>MudInput_Clear</c>; the ones the dashboard shows are answered from <see cref="UiText"/>
/// by their English text, any other is left to MudBlazor's built-in English.
/// </summary>
public sealed class DashboardMudLocalizer : MudLocalizer
{
    private static readonly Dictionary<string, string> English = new(StringComparer.Ordinal)
    {
        ["MudInput_Clear"] = "Clear",
        ["MudDataGrid_Clear"] = "Clear",
        ["MudTabs_ScrollLeft"] = "Scroll tabs left",
        ["MudTabs_ScrollRight"] = "Scroll tabs right",
        ["MudTabs_ScrollUp"] = "Scroll tabs up",
        ["MudTabs_ScrollDown"] = "Scroll tabs down",
    };

    public override LocalizedString this[string key] =>
        English.TryGetValue(key, out var english)
            ? new LocalizedString(key, UiText.Get(english))
            : new LocalizedString(key, key, resourceNotFound: true);
}
