namespace Dashboard.Server.LoadBalancers;

public sealed partial class LoadBalancerConfiguration
{
    /// <summary>
    /// Takes over a published snapshot's configuration (a failover, or a warm restart): every detail it holds counts as
    /// read at its listing time and is refreshed over the next <paramref name="detailsInterval"/>, spread as a first
    /// refresh is; a detail it lacks is read at once. The poll loop goes on from there instead of reading everything again.
    /// </summary>
    public void Restore(AwsSnapshot snapshot, DateTimeOffset now, TimeSpan detailsInterval, double jitter, Random random)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var readAt = snapshot.ConfigurationAsOf ?? now;
        LoadBalancers = snapshot.LoadBalancers;
        TargetGroups = snapshot.TargetGroups;
        Listeners = snapshot.Listeners;
        Rules = snapshot.Rules;
        LoadBalancerAttributes = snapshot.LoadBalancerAttributes;
        TargetGroupAttributes = snapshot.TargetGroupAttributes;
        Tags = snapshot.Tags;
        _details.Clear();
        void Restore(ConfigurationDetail kind, string arn, bool held)
        {
            _details[(kind, arn)] = held
                ? new DetailState { AddedAt = readAt, ReadAt = readAt, NextAt = readAt + (detailsInterval * (jitter + ((1 - jitter) * random.NextDouble()))) }
                : new DetailState { AddedAt = now, NextAt = now };
        }
        foreach (var arn in LoadBalancers.Select(lb => lb.LoadBalancerArn))
        {
            Restore(ConfigurationDetail.Listeners, arn, Listeners.ContainsKey(arn));
            Restore(ConfigurationDetail.LoadBalancerAttributes, arn, LoadBalancerAttributes.ContainsKey(arn));
            Restore(ConfigurationDetail.Tags, arn, Tags.ContainsKey(arn));
        }
        foreach (var arn in TargetGroups.Select(tg => tg.TargetGroupArn))
        {
            Restore(ConfigurationDetail.TargetGroupAttributes, arn, TargetGroupAttributes.ContainsKey(arn));
            Restore(ConfigurationDetail.Tags, arn, Tags.ContainsKey(arn));
        }
        Version++;
    }
}
