using Dashboard.Server.Kubernetes;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.ScaleOut;

/// <summary>
/// Leader election through a <c>coordination.k8s.io/v1</c> Lease with KubernetesClient's <see cref="LeaderElector"/>: the
/// replicas race to create or take over the Lease (the API server's resourceVersion check lets one win), the holder renews
/// it every <see cref="LeadershipOptions.RetryPeriod"/>, and when it stops renewing another takes over once
/// <see cref="LeadershipOptions.LeaseDuration"/> has passed. Until the first attempt is decided this replica is a follower.
/// </summary>
public sealed partial class LeaseLeadership(
    KubernetesConnection connection,
    IOptions<LeadershipOptions> options,
    ILogger<LeaseLeadership> logger) : BackgroundService, IReplicaLeadership
{
    private readonly LeadershipOptions _options = options.Value;
    private volatile bool _leading;
    private volatile string? _holder;
    private long _terms;

    public bool IsLeader => _leading;

    public string Replica { get; } = options.Value.EffectiveIdentity;

    public string? LeaseHolder => _holder;

    public string Kind => "lease";

    public string Lease => $"{_options.EffectiveNamespace}/{_options.LeaseName}";

    /// <summary>How many times this replica has started leading.</summary>
    public long Terms => Interlocked.Read(ref _terms);

    /// <summary>Raised (on the elector's thread) when this replica starts or stops leading.</summary>
    public event Action<bool>? LeadershipChanged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IDisposable? elector = null;
        try
        {
            var client = await connection.GetClientAsync(stoppingToken);
            var leaseLock = new LeaseLock(client, _options.EffectiveNamespace, _options.LeaseName, Replica);
            var leader = new LeaderElector(new LeaderElectionConfig(leaseLock)
            {
                LeaseDuration = _options.LeaseDuration,
                RenewDeadline = _options.RenewDeadline,
                RetryPeriod = _options.RetryPeriod,
            });
            elector = leader;
            leader.OnStartedLeading += () =>
            {
                _holder = Replica;
                _leading = true;
                Interlocked.Increment(ref _terms);
                LogStarted(logger, Replica, Lease);
                LeadershipChanged?.Invoke(true);
            };
            leader.OnStoppedLeading += () =>
            {
                _leading = false;
                LogStopped(logger, Replica, Lease);
                LeadershipChanged?.Invoke(false);
            };
            leader.OnNewLeader += holder =>
            {
                _holder = holder;
                if (holder != Replica)
                {
                    LogFollowing(logger, holder, Lease);
                }
            };
            LogCandidate(logger, Replica, Lease);
            await leader.RunAndTryToHoldLeadershipForeverAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            _leading = false;
            elector?.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica} is a candidate for the Lease {Lease} (the replica holding it polls AWS)")]
    private static partial void LogCandidate(ILogger logger, string replica, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica} holds the Lease {Lease} and polls AWS")]
    private static partial void LogStarted(ILogger logger, string replica, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica {Replica} lost the Lease {Lease} and stops polling AWS")]
    private static partial void LogStopped(ILogger logger, string replica, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Holder} holds the Lease {Lease}; this replica serves what it publishes")]
    private static partial void LogFollowing(ILogger logger, string holder, string lease);
}
