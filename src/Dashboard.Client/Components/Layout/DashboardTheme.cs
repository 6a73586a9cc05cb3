using MudBlazor;

namespace Dashboard.Client.Components.Layout;

/// <summary>
/// A calm, dense theme: muted surfaces, readable contrast, colour kept for state. The state colours are chosen so text in
/// them stays at 4.5:1 or more (WCAG AA) on the surfaces and on the light tints the state chips use (axe checks it in
/// both themes): MudBlazor's own light-theme green, orange and red are too pale for text on white.
/// </summary>
public static class DashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteDark = new PaletteDark
        {
            Primary = "#7aa7ff",
            // Dark text on the light blue of filled buttons (white on it is 2.4:1).
            PrimaryContrastText = "#0d1526",
            Background = "#15171c",
            Surface = "#1c1f26",
            AppbarBackground = "#1c1f26",
            DrawerBackground = "#181a20",
            TextPrimary = "#e3e6eb",
            TextSecondary = "#a3a9b4",
            Error = "#ff7583",
            Info = "#5aa9ff",
        },
        PaletteLight = new PaletteLight
        {
            Primary = "#2f5fd0",
            AppbarBackground = "#24324d",
            TextSecondary = "#5f6368",
            Success = "#15662c",
            Warning = "#8a4300",
            Error = "#b01b1b",
            Info = "#0b58b0",
        },
        LayoutProperties = new LayoutProperties
        {
            AppbarHeight = "48px",
            DrawerWidthLeft = "200px",
        },
    };
}
