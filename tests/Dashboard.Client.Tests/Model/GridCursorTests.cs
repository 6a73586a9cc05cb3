using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Model;

public class GridCursorTests
{
    [Theory]
    // With a cursor: one row, a page, the ends; never past either end.
    [InlineData(5, "ArrowDown", 6)]
    [InlineData(5, "k", 4)]
    [InlineData(5, "PageDown", 9)]
    [InlineData(5, "PageUp", 0)]
    [InlineData(5, "Home", 0)]
    [InlineData(5, "End", 9)]
    [InlineData(9, "j", 9)]
    // Without one: a step down starts at the top, a step up at the bottom, and Home and End still go to their end
    // (the Services and Ingresses pages used to send Home to the bottom and End to the top here).
    [InlineData(-1, "ArrowDown", 0)]
    [InlineData(-1, "ArrowUp", 9)]
    [InlineData(-1, "Home", 0)]
    [InlineData(-1, "End", 9)]
    public void Keys_move_the_cursor_within_the_rows(int current, string key, int expected) =>
        Assert.Equal(expected, GridCursor.Move(current, GridCursor.Step(key, pageStep: 20), count: 10));

    [Fact]
    public void Other_keys_do_not_move_and_an_empty_list_has_no_row()
    {
        Assert.Equal(0, GridCursor.Step("Enter", 20));
        Assert.Equal(-1, GridCursor.Move(-1, 1, count: 0));
    }
}
