using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Model;

public class SourceStatusBoardTests
{
    [Fact]
    public void Keeps_first_seen_order_and_reports_the_worst_state()
    {
        var board = new SourceStatusBoard();
        board.Reset([Objects.Source("kubernetes", SourceState.Live), Objects.Source("aws-elbv2", SourceState.Syncing)]);
        Assert.Equal(SourceState.Syncing, board.Overall);

        board.Apply([FeedChange<SourceStatus>.Upsert("kubernetes", Objects.Source("kubernetes", SourceState.Stale, "watch failed: connection refused"))]);

        Assert.Equal(["kubernetes", "aws-elbv2"], board.Sources.Select(s => s.Key));
        Assert.Equal(SourceState.Stale, board.Overall);
        Assert.Equal("kubernetes", Assert.Single(board.Stale).Key);
    }

    [Fact]
    public void Stale_sentence_says_what_since_when_why_and_next_retry()
    {
        var status = Objects.Source("kubernetes", SourceState.Stale, "watch failed: connection refused") with
        {
            NextRetryAt = Objects.Now.AddSeconds(8),
        };

        Assert.Equal(
            "Kubernetes API is stale, showing data as of 11:59:18 UTC (42 seconds ago): watch failed: connection refused. Next retry in 8s.",
            SourceStatusBoard.StaleSentence(status, Objects.Now));
        Assert.Equal("no data received yet", SourceStatusBoard.LastGood(status with { LastGoodAt = null }, Objects.Now));
    }
}
