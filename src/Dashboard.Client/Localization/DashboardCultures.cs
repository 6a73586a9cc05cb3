using System.Globalization;

namespace Dashboard.Client.Localization;

/// <summary>
/// The languages the dashboard speaks, the cookie that remembers a viewer's choice and the URL that switches it. The
/// circuit's culture comes from the request (RequestLocalization on the server: the cookie, then Accept-Language), so
/// switching reloads the page through <see cref="SwitchUrl"/>, which sets the cookie and comes back to the same URL.
/// </summary>
public static class DashboardCultures
{
    /// <summary>English: the default, the fallback of every text and the language of the HTTP API.</summary>
    public const string English = "en";

    /// <summary>Vietnamese (Viet Nam): numbers "1.234,56", dates "02/12/2026".</summary>
    public const string Vietnamese = "vi-VN";

    /// <summary>The path of the switch endpoint (GET, sets the cookie, redirects to a local path).</summary>
    public const string SwitchPath = "/culture";

    /// <summary>The supported cultures with their names in their own language, for the user menu.</summary>
    public static IReadOnlyList<(string Culture, string NativeName)> Supported { get; } =
    [
        (English, "English"),
        (Vietnamese, "Tiếng Việt"),
    ];

    private static readonly CultureInfo VietnameseFormat = CultureInfo.GetCultureInfo(Vietnamese);

    /// <summary>The URL that switches to <paramref name="culture"/> and returns to <paramref name="returnPath"/> (a local path with its query).</summary>
    public static string SwitchUrl(string culture, string returnPath) =>
        $"{SwitchPath}?c={Uri.EscapeDataString(culture)}&redirect={Uri.EscapeDataString(returnPath)}";

    /// <summary>True when <paramref name="culture"/> is Vietnamese (any region).</summary>
    public static bool IsVietnamese(CultureInfo culture) =>
        string.Equals(culture.TwoLetterISOLanguageName, "vi", StringComparison.Ordinal);

    /// <summary>
    /// How numbers and dates are written for a viewer in <paramref name="culture"/>: vi-VN's formats for Vietnamese; the
    /// invariant culture otherwise (English keeps the dashboard's ISO dates and "1,234.56", whatever the host's culture).
    /// </summary>
    public static CultureInfo FormatFor(CultureInfo culture) => IsVietnamese(culture) ? VietnameseFormat : CultureInfo.InvariantCulture;

    /// <summary>The number and date formats of the current viewer (the circuit's culture).</summary>
    public static CultureInfo Format => FormatFor(CultureInfo.CurrentCulture);

    /// <summary>The language of the current viewer's texts, for Humanizer and resource look-ups.</summary>
    public static CultureInfo Language => IsVietnamese(CultureInfo.CurrentUICulture) ? VietnameseFormat : CultureInfo.GetCultureInfo(English);
}
