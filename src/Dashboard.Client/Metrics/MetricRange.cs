using System.Collections.Immutable;
using System.Globalization;

namespace Dashboard.Client.Metrics;

/// <summary>
/// The time a Metrics section shows: a relative range ending now (<c>1h</c>, <c>3d</c> …, followed live) or a fixed
/// [start, end) (custom, or a zoom). Its text form is what the URL keeps: the preset name, or
/// <c>2025-06-04T14:00:00Z~2025-06-04T15:00:00Z</c>.
/// </summary>
public sealed record MetricRange
{
    /// <summary>The preset ranges the UI offers, in order.</summary>
    public static ImmutableArray<(string Name, TimeSpan Length)> Presets { get; } =
    [
        ("15m", TimeSpan.FromMinutes(15)), ("1h", TimeSpan.FromHours(1)), ("3h", TimeSpan.FromHours(3)), ("12h", TimeSpan.FromHours(12)),
        ("1d", TimeSpan.FromDays(1)), ("3d", TimeSpan.FromDays(3)), ("1w", TimeSpan.FromDays(7)), ("2w", TimeSpan.FromDays(14)),
        ("30d", TimeSpan.FromDays(30)), ("90d", TimeSpan.FromDays(90)),
    ];

    public static MetricRange Default { get; } = new() { Preset = "3h", Length = TimeSpan.FromHours(3) };

    /// <summary>The preset's name; null for a fixed range.</summary>
    public string? Preset { get; init; }
    public TimeSpan Length { get; init; }
    public DateTimeOffset? FixedStart { get; init; }
    public DateTimeOffset? FixedEnd { get; init; }

    public bool IsRelative => Preset is not null;

    public static MetricRange Fixed(DateTimeOffset start, DateTimeOffset end) => new() { FixedStart = start, FixedEnd = end, Length = end - start };

    /// <summary>[start, end) at <paramref name="now"/>: a relative range ends now.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) Resolve(DateTimeOffset now) =>
        IsRelative ? (now - Length, now) : (FixedStart!.Value, FixedEnd!.Value);

    public override string ToString() => Preset ?? $"{Iso(FixedStart!.Value)}~{Iso(FixedEnd!.Value)}";

    /// <summary>Parses the URL form; null with a reason when it is not one.</summary>
    public static MetricRange? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return Default;
        }
        foreach (var (name, length) in Presets)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return new MetricRange { Preset = name, Length = length };
            }
        }
        var parts = text.Split('~');
        if (parts.Length == 2 && TryTime(parts[0], out var start) && TryTime(parts[1], out var end))
        {
            if (end <= start)
            {
                error = "range: the end must be after the start.";
                return null;
            }
            return Fixed(start, end);
        }
        error = $"range: '{text}' is neither a preset ({string.Join(", ", Presets.Select(p => p.Name))}) nor start~end in ISO 8601.";
        return null;
    }

    private static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
