using System.Collections.Immutable;
using System.Text;
using Dashboard.Client.Changes;
using Dashboard.Client.Feed;
using Dashboard.Server.Feed;
using Dashboard.Server.State;

namespace Dashboard.Server.Audit;

/// <summary>What <see cref="DashboardFeed"/> needs of the audit trail: its latest records, live.</summary>
public interface IAuditFeed
{
    IFeed<ChangeRecord> Records { get; }
}

/// <summary>
/// The audit trail (<see cref="StateAuditStore"/>) with its latest records served live as <see cref="IDashboardFeed.Audit"/>:
/// a record this replica appends is published at once; a record another replica appends reaches this one through the
/// state store's notification (<see cref="IStateStore.ListenAsync"/>, PostgreSQL <c>LISTEN/NOTIFY</c>) on the document
/// <see cref="DocumentKey"/>, after which the newest records are read again. Append and read only, like the store.
/// </summary>
public sealed partial class AuditFeed(StateAuditStore store, IStateStore state, TimeProvider time, ILogger<AuditFeed> logger)
    : BackgroundService, IAuditStore, IAuditFeed
{
    /// <summary>The document whose writes tell the other replicas a record was appended (its content: the change id).</summary>
    public const string DocumentKey = "audit-appended";

    /// <summary>How many of the latest records the feed holds; pages read older ones from the store.</summary>
    public const int Keep = 200;

    /// <summary>Records read again before the newest held, for clocks of other replicas that run behind.</summary>
    private static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(30);

    private readonly FeedBroadcaster<ChangeRecord> _records = new(time);
    private readonly Lock _gate = new();

    public IFeed<ChangeRecord> Records => _records;

    public async Task AppendAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        await store.AppendAsync(record, cancellationToken);
        Publish([record]);
        if (state.IsShared)
        {
            try
            {
                await state.WriteDocumentAsync(new StoredDocument(DocumentKey, Encoding.UTF8.GetBytes(record.ChangeId), time.GetUtcNow(), Environment.MachineName),
                    cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The record is stored; only the other replicas' live view waits for their next read.
                LogNotifyFailed(logger, state.Description, exception.Message);
            }
        }
    }

    public Task<ChangeRecord?> FindAsync(string changeId, CancellationToken cancellationToken) => store.FindAsync(changeId, cancellationToken);

    public Task<IReadOnlyList<ChangeRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) => store.ListAsync(query, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ReadLatestAsync(since: null, stoppingToken);
        await foreach (var key in state.ListenAsync(stoppingToken))
        {
            if (key is DocumentKey or IStateStore.AllDocuments)
            {
                var newest = _records.Current.Values.Select(r => (DateTimeOffset?)r.At).Max();
                await ReadLatestAsync(key == IStateStore.AllDocuments ? null : newest - ClockMargin, stoppingToken);
            }
        }
    }

    private async Task ReadLatestAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        try
        {
            Publish(await store.ListAsync(new AuditQuery { Since = since, Limit = Keep }, cancellationToken));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogReadFailed(logger, state.Description, exception.Message);
        }
    }

    /// <summary>Upserts what is new and drops the oldest beyond <see cref="Keep"/>.</summary>
    private void Publish(IReadOnlyList<ChangeRecord> records)
    {
        lock (_gate)
        {
            var current = _records.Current;
            var changes = records.Where(r => current.GetValueOrDefault(r.ChangeId) is null)
                .Select(r => FeedChange<ChangeRecord>.Upsert(r.ChangeId, r)).ToList();
            var all = current.SetItems(records.Select(r => KeyValuePair.Create(r.ChangeId, r)));
            changes.AddRange(all.Values.OrderByDescending(r => r.At).ThenByDescending(r => r.ChangeId, StringComparer.Ordinal).Skip(Keep)
                .Select(r => FeedChange<ChangeRecord>.Delete(r.ChangeId)));
            _records.Publish(changes);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other replicas about an audit record through {Store}: {Reason}")]
    private static partial void LogNotifyFailed(ILogger logger, string store, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the latest audit records from {Store}: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string store, string reason);
}
