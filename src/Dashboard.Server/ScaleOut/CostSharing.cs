using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dashboard.Client.Model;
using Dashboard.Server.Costs;
using Dashboard.Server.State;

namespace Dashboard.Server.ScaleOut;

/// <summary>
/// Shares the Cost Explorer parts of the cost report (USD 0.01 a request) through the state store: only the polling
/// leader reads Cost Explorer and publishes what it read; the others take it over and build the same report; a restart
/// takes over the stored parts, so it does not pay for them again before they expire.
/// </summary>
public sealed partial class CostSharing(
    IStateStore state,
    StateSchema schema,
    IReplicaLeadership leadership,
    AwsSnapshotSharing awsSharing,
    IServiceProvider services,
    TimeProvider time,
    ILogger<CostSharing> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly SemaphoreSlim _built = new(0, 1);
    private CostService? _costs;
    private byte[]? _written;

    /// <summary>Parts documents written by this replica.</summary>
    public long Writes { get; private set; }

    /// <summary>Parts documents taken over from the store.</summary>
    public long Loads { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _costs = services.GetService<CostService>();
        if (_costs is not null && awsSharing.Enabled)
        {
            _costs.MayReadCostExplorer = () => leadership.IsLeader;
            await schema.EnsureMigratedAsync(cancellationToken);
            await LoadAsync(rebuild: false, cancellationToken);
            _costs.ReportBuilt += OnBuilt;
        }
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_costs is not null)
        {
            _costs.ReportBuilt -= OnBuilt;
        }
        await base.StopAsync(cancellationToken);
    }

    private void OnBuilt(CostReport report)
    {
        if (_built.CurrentCount == 0)
        {
            try
            {
                _built.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_costs is null || !awsSharing.Enabled)
        {
            return;
        }
        try
        {
            await Task.WhenAll(PublishLoopAsync(_costs, stoppingToken), ListenLoopAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PublishLoopAsync(CostService costs, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _built.WaitAsync(stoppingToken);
            if (!leadership.IsLeader)
            {
                continue;
            }
            var content = Serialize(new Envelope(awsSharing.Source, costs.ExportCostExplorerParts()));
            if (_written is not null && content.AsSpan().SequenceEqual(_written))
            {
                continue;
            }
            try
            {
                await state.WriteDocumentAsync(new StoredDocument(CostExplorerParts.DocumentKey, content, time.GetUtcNow(), leadership.Replica), stoppingToken);
                _written = content;
                Writes++;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogWriteFailed(logger, state.Description, exception.Message);
            }
        }
    }

    private async Task ListenLoopAsync(CancellationToken stoppingToken)
    {
        await foreach (var key in state.ListenAsync(stoppingToken))
        {
            if ((key == CostExplorerParts.DocumentKey || key == IStateStore.AllDocuments) && !leadership.IsLeader)
            {
                try
                {
                    await LoadAsync(rebuild: true, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogReadFailed(logger, state.Description, exception.Message);
                }
            }
        }
    }

    private async Task LoadAsync(bool rebuild, CancellationToken cancellationToken)
    {
        var document = await state.ReadDocumentAsync(CostExplorerParts.DocumentKey, cancellationToken);
        if (document is null || (rebuild && document.WrittenBy == leadership.Replica) || _costs is null)
        {
            return;
        }
        var envelope = Deserialize(document.Content);
        if (envelope is null || envelope.Source != awsSharing.Source)
        {
            return;
        }
        await _costs.ImportCostExplorerPartsAsync(envelope.Parts, rebuild, cancellationToken);
        _written = document.Content;
        Loads++;
    }

    private static byte[] Serialize(Envelope envelope)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, envelope, Json);
        }
        return buffer.ToArray();
    }

    private static Envelope? Deserialize(byte[] content)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
            var envelope = JsonSerializer.Deserialize<Envelope>(gzip, Json);
            return envelope?.Format == Envelope.CurrentFormat ? envelope : null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException or NotSupportedException)
        {
            return null;
        }
    }

    private sealed record Envelope(string Source, CostExplorerParts Parts)
    {
        public const int CurrentFormat = 1;

        public int Format { get; init; } = CurrentFormat;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the Cost Explorer parts to {Store}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string store, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the published Cost Explorer parts from {Store}: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string store, string reason);
}
