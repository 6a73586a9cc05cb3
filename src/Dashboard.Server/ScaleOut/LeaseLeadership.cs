using Dashboard.Server.Kubernetes;
using k8s;
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
        // An election that fails unexpectedly (the API server refusing, RBAC missing) is retried: never a crash. Until it
        // works nobody here polls, and the Replicas source says so.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ElectAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _leading = false;
                LogElectionFailed(logger, Lease, exception.Message, _options.RetryPeriod);
                try
                {
                    await Task.Delay(_options.RetryPeriod, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ElectAsync(CancellationToken stoppingToken)
    {
        IDisposable? elector = null;
        k8s.IKubernetes? client = null;
        try
        {
            client = await connection.GetClientAsync(stoppingToken);
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
            var held = _leading || _holder == Replica;
            _leading = false;
            elector?.Dispose();
            if (held && client is not null)
            {
                await ReleaseAsync(client);
            }
        }
    }

    /// <summary>
    /// On a clean stop (a rolling update, a scale-down) the holder gives the Lease up, so another replica takes over at
    /// its next attempt instead of after the lease duration. A crash skips this: then the Lease expires.
    /// </summary>
    private async Task ReleaseAsync(k8s.IKubernetes client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(_options.LeaseName, _options.EffectiveNamespace, cancellationToken: timeout.Token);
            if (lease.Spec?.HolderIdentity != Replica)
            {
                return;
            }
            lease.Spec.HolderIdentity = string.Empty;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = DateTime.UtcNow;
            // With the resourceVersion just read: a replica that took it meanwhile keeps it (409).
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _options.LeaseName, _options.EffectiveNamespace, cancellationToken: timeout.Token);
            LogReleased(logger, Replica, Lease);
        }
        catch (Exception exception) when (exception is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            LogReleaseFailed(logger, Lease, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Leader election on the Lease {Lease} failed ({Reason}); trying again in {Delay}. Nobody polls AWS from this replica meanwhile")]
    private static partial void LogElectionFailed(ILogger logger, string lease, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica} released the Lease {Lease} on shutdown")]
    private static partial void LogReleased(ILogger logger, string replica, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the Lease {Lease} on shutdown ({Reason}); another replica takes it when it expires")]
    private static partial void LogReleaseFailed(ILogger logger, string lease, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica} is a candidate for the Lease {Lease} (the replica holding it polls AWS)")]
    private static partial void LogCandidate(ILogger logger, string replica, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica} holds the Lease {Lease} and polls AWS")]
    private static partial void LogStarted(ILogger logger, string replica, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica {Replica} lost the Lease {Lease} and stops polling AWS")]
    private static partial void LogStopped(ILogger logger, string replica, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Holder} holds the Lease {Lease}; this replica serves what it publishes")]
    private static partial void LogFollowing(ILogger logger, string holder, string lease);
}
