namespace Dashboard.Client.Model;

/// <summary>
/// Keyboard movement in the pages' lists, one rule for all of them: ArrowDown/j and ArrowUp/k move one row,
/// PageDown/PageUp a page, Home/End to the ends. Without a cursor a step down starts at the top and a step up at the
/// bottom; Home and End go to their end either way.
/// </summary>
public static class GridCursor
{
    /// <summary>The rows a key moves by (0 for a key that does not move the cursor).</summary>
    public static int Step(string key, int pageStep) => key switch
    {
        "ArrowDown" or "j" => 1,
        "ArrowUp" or "k" => -1,
        "PageDown" => pageStep,
        "PageUp" => -pageStep,
        "Home" => int.MinValue / 2,
        "End" => int.MaxValue / 2,
        _ => 0,
    };

    /// <summary>The row the cursor moves to from <paramref name="current"/> (-1: none) by <paramref name="step"/> among <paramref name="count"/> rows.</summary>
    public static int Move(int current, int step, int count)
    {
        if (count <= 0)
        {
            return -1;
        }
        var from = current >= 0 && current < count ? current : step > 0 ? -1 : count;
        return (int)Math.Clamp((long)from + step, 0, count - 1);
    }
}
