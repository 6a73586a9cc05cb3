using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Tests.LoadBalancers;

public sealed class TargetHealthTrackerTests
{
    private const string Group = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly AwsPollingOptions Options = new() { FastInterval = TimeSpan.FromSeconds(10), SweepInterval = TimeSpan.FromMinutes(5), Jitter = 0.2 };
    private static readonly HashSet<string> NoneViewed = [];

    [Fact]
    public void A_target_keeps_its_since_while_its_state_holds_and_restarts_it_on_a_change()
    {
        var tracker = Tracker();
        var first = tracker.Record(Group, [Healthy("10.0.0.1"), Healthy("10.0.0.2")], T0);
        Assert.All(first.Targets, t => Assert.Equal((T0, false), (t.Since, t.ChangeObserved)));

        var second = tracker.Record(Group, [Healthy("10.0.0.2"), Healthy("10.0.0.1")], T0.AddSeconds(30));
        Assert.Same(first.Targets[0], second.Targets[0]);
        Assert.True(first.Targets == second.Targets, "nothing changed: same targets array");
        Assert.Equal(T0.AddSeconds(30), second.AsOf);

        var third = tracker.Record(Group, [Unhealthy("10.0.0.1", "Target.Timeout"), Healthy("10.0.0.2"), Initial("10.0.0.3")], T0.AddSeconds(60));
        var byId = third.Targets.ToDictionary(t => t.Description.Target.Id);
        Assert.Equal((T0.AddSeconds(60), true), (byId["10.0.0.1"].Since, byId["10.0.0.1"].ChangeObserved));
        Assert.Same(first.Targets[1], byId["10.0.0.2"]);
        Assert.Equal((T0.AddSeconds(60), true), (byId["10.0.0.3"].Since, byId["10.0.0.3"].ChangeObserved));

        // A new reason in the same state is new evidence, not a new state.
        var fourth = tracker.Record(Group, [Unhealthy("10.0.0.1", "Target.ResponseCodeMismatch"), Healthy("10.0.0.2"), Initial("10.0.0.3")], T0.AddSeconds(70));
        var same = fourth.Targets.Single(t => t.Description.Target.Id == "10.0.0.1");
        Assert.Equal(("Target.ResponseCodeMismatch", T0.AddSeconds(60)), (same.Description.TargetHealth.Reason, same.Since));
    }

    [Fact]
    public void New_groups_are_read_first_then_unsettled_and_viewed_ones_at_the_fast_interval_and_others_by_the_sweep()
    {
        var tracker = Tracker();
        const string Quiet = Group + "-quiet";
        const string Viewed = Group + "-viewed";
        tracker.Sync([Group, Quiet, Viewed], T0);
        Assert.All(tracker.DueReads(T0, NoneViewed), due => Assert.Equal((PollPriority.New, T0), (due.Priority, due.Due)));

        tracker.Record(Group, [Healthy("10.0.0.1"), Unhealthy("10.0.0.2", "Target.Timeout")], T0);
        tracker.Record(Quiet, [Healthy("10.0.0.3")], T0);
        tracker.Record(Viewed, [Healthy("10.0.0.4")], T0);
        HashSet<string> viewed = [Viewed];

        Assert.Empty(tracker.DueReads(T0.AddSeconds(9), viewed));
        var due = tracker.DueReads(T0.AddSeconds(10), viewed).ToDictionary(d => d.TargetGroupArn);
        Assert.Equal([Group, Viewed], due.Keys.Order());
        Assert.Equal(PollPriority.Unhealthy, due[Group].Priority);
        Assert.Equal(PollPriority.Viewed, due[Viewed].Priority);

        // The first sweep is spread over the whole interval (from 20 % of it), never later than the interval.
        var sweep = tracker.DueReads(T0.AddMinutes(5), viewed).Single(d => d.TargetGroupArn == Quiet);
        Assert.Equal(PollPriority.Sweep, sweep.Priority);
        Assert.InRange(sweep.Due, T0.AddMinutes(1), T0.AddMinutes(5));
        Assert.True(tracker.AllRead);

        tracker.Sync([Quiet], T0.AddMinutes(1));
        Assert.Equal([Quiet], tracker.Health.Keys);
    }

    [Fact]
    public void A_cloudwatch_reading_that_disagrees_marks_the_group_once_and_is_then_explained()
    {
        var tracker = Tracker();
        tracker.Record(Group, [Healthy("10.0.0.1"), Healthy("10.0.0.2")], T0);
        var minute = T0.AddSeconds(60);

        Assert.False(tracker.ApplyReading(Group, new HealthCountReading(2, 0, minute), minute.AddSeconds(30)));
        // A reading of a minute that ended before our last read says nothing new.
        Assert.False(tracker.ApplyReading(Group, new HealthCountReading(1, 1, T0.AddSeconds(-60)), minute.AddSeconds(30)));

        Assert.True(tracker.ApplyReading(Group, new HealthCountReading(1, 1, minute), minute.AddSeconds(30)));
        var due = Assert.Single(tracker.DueReads(minute.AddSeconds(30), NoneViewed));
        Assert.Equal(PollPriority.Changed, due.Priority);

        // The read finds nothing different (e.g. a per-zone count): the same reading no longer triggers...
        tracker.Record(Group, [Healthy("10.0.0.1"), Healthy("10.0.0.2")], minute.AddSeconds(31));
        Assert.False(tracker.ApplyReading(Group, new HealthCountReading(1, 1, minute.AddSeconds(60)), minute.AddSeconds(90)));
        // ...but a different one does.
        Assert.True(tracker.ApplyReading(Group, new HealthCountReading(0, 2, minute.AddSeconds(60)), minute.AddSeconds(90)));
    }

    [Fact]
    public void An_explained_reading_counts_again_once_the_read_counts_have_moved()
    {
        var tracker = Tracker();
        tracker.Record(Group, [Healthy("10.0.0.1"), Healthy("10.0.0.2")], T0);
        Assert.True(tracker.ApplyReading(Group, new HealthCountReading(1, 1, T0.AddSeconds(60)), T0.AddSeconds(90)));
        tracker.Record(Group, [Unhealthy("10.0.0.1", "Target.Timeout"), Healthy("10.0.0.2")], T0.AddSeconds(91));
        tracker.Record(Group, [Healthy("10.0.0.1"), Healthy("10.0.0.2")], T0.AddSeconds(101));

        // The same target fails again later: the same counts as the first time, and a new failure.
        Assert.True(tracker.ApplyReading(Group, new HealthCountReading(1, 1, T0.AddSeconds(300)), T0.AddSeconds(330)));
    }

    [Fact]
    public void Groups_read_fast_anyway_are_not_watched_through_cloudwatch()
    {
        var tracker = Tracker();
        const string Quiet = Group + "-quiet";
        tracker.Sync([Group, Quiet, Group + "-unread"], T0);
        tracker.Record(Group, [Initial("10.0.0.1")], T0);
        tracker.Record(Quiet, [Healthy("10.0.0.2")], T0);

        Assert.Equal([Quiet], tracker.GroupsToWatch(NoneViewed));
        Assert.Empty(tracker.GroupsToWatch(new HashSet<string> { Quiet }));
        Assert.False(tracker.ApplyReading(Group, new HealthCountReading(0, 1, T0.AddSeconds(60)), T0.AddSeconds(70)));
    }

    private static TargetHealthTracker Tracker() => new(Options, new Random(1));

    private static TargetHealthDescription Healthy(string ip) => Describe(ip, TargetHealthState.Healthy, "healthy", null);
    private static TargetHealthDescription Initial(string ip) => Describe(ip, TargetHealthState.Initial, "initial", "Elb.RegistrationInProgress");
    private static TargetHealthDescription Unhealthy(string ip, string reason) => Describe(ip, TargetHealthState.Unhealthy, "unhealthy", reason);

    private static TargetHealthDescription Describe(string ip, TargetHealthState state, string raw, string? reason) => new()
    {
        Target = new TargetDescription(ip, 8080, "us-east-1a"),
        TargetHealth = new TargetHealth(state, raw, reason, null),
    };
}
