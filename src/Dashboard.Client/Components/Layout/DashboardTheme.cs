using MudBlazor;

namespace Dashboard.Client.Components.Layout;

/// <summary>A calm, dense theme: muted surfaces, readable contrast, colour kept for state.</summary>
public static class DashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteDark = new PaletteDark
        {
            Primary = "#7aa7ff",
            Background = "#15171c",
            Surface = "#1c1f26",
            AppbarBackground = "#1c1f26",
            DrawerBackground = "#181a20",
            TextPrimary = "#e3e6eb",
            TextSecondary = "#a3a9b4",
        },
        PaletteLight = new PaletteLight
        {
            Primary = "#2f5fd0",
            AppbarBackground = "#24324d",
        },
        LayoutProperties = new LayoutProperties
        {
            AppbarHeight = "48px",
            DrawerWidthLeft = "200px",
        },
    };
}
