using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dashboard.Client.Model;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.ScaleOut;

/// <summary>
/// What the polling leader publishes to the state store (document <see cref="DocumentKey"/>): the AWS snapshot, the AWS
/// source's status as the leader saw it, and which AWS account view it describes (<see cref="Source"/>: region and
/// endpoint), so a replica pointed elsewhere never serves it. Stored as gzip-compressed JSON.
/// </summary>
public sealed record PublishedAwsSnapshot
{
    public const string DocumentKey = "aws-snapshot";

    /// <summary>Grows when the shape changes incompatibly; a document of another format is ignored (and replaced by the next publish).</summary>
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int Format { get; init; } = CurrentFormat;

    public required string Source { get; init; }

    public required AwsSnapshot Snapshot { get; init; }

    public SourceStatus? Status { get; init; }

    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, this, Json);
        }
        return buffer.ToArray();
    }

    /// <summary>The document's content; null when it is of another format or unreadable (a newer or older version wrote it).</summary>
    public static PublishedAwsSnapshot? Deserialize(byte[] content)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
            var published = JsonSerializer.Deserialize<PublishedAwsSnapshot>(gzip, Json);
            return published?.Format == CurrentFormat ? published : null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException or NotSupportedException)
        {
            return null;
        }
    }
}
