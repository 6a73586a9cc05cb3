namespace Dashboard.Client.Model;

/// <summary>
/// The element id of a list row, from its key: the grid names its keyboard cursor's row in <c>aria-activedescendant</c>,
/// so a screen reader announces the row the arrow keys reach while focus stays on the grid.
/// </summary>
public static class GridRowId
{
    /// <summary>"row-" and the key with anything but letters, digits, '-' and '_' as '_' (ids stay valid selectors).</summary>
    public static string For(string key) =>
        "row-" + string.Create(key.Length, key, static (span, k) =>
        {
            for (var i = 0; i < k.Length; i++)
            {
                span[i] = char.IsAsciiLetterOrDigit(k[i]) || k[i] is '-' or '_' ? k[i] : '_';
            }
        });

    /// <summary>
    /// The grid's <c>aria-activedescendant</c>: the cursor's row while it is shown, else null (no attribute), so the grid
    /// never points at a row a filter or a deletion took away.
    /// </summary>
    public static string? ActiveDescendant<T>(ILiveRows<T> rows, string? cursorKey) where T : class =>
        cursorKey is not null && rows.IndexOf(cursorKey) >= 0 ? For(cursorKey) : null;
}
