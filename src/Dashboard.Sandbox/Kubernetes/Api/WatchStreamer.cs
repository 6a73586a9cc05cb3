using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The watch protocol: HTTP 200, chunked, one <c>{"type":…,"object":…}</c> JSON per line, flushed per event.
/// Without a resourceVersion (or with "0") current objects come first as ADDED; with one, retained events after it are
/// replayed, and a compacted version yields a single ERROR event carrying a 410 Expired Status. BOOKMARKs follow the
/// store's progress notifications when <c>allowWatchBookmarks=true</c>; <c>timeoutSeconds</c> ends the stream.
/// </summary>
internal sealed class WatchStreamer(ResourceStore store, ILogger logger)
{
    public async Task StreamAsync(HttpContext context, ApiPath path, ResponseShape shape, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], path.Type);
        var pinnedName = path.Name ?? fields.PinnedName;
        bool Matches(JsonObject o) => labels.Matches(o) && fields.Matches(o) && (path.Name is null || o["metadata"]?["name"]?.ToString() == path.Name);
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var sendInitial = query["sendInitialEvents"] == "true";
        var rvText = query["resourceVersion"].ToString();
        long? from = null;
        if (rvText is not ("" or "0"))
        {
            from = long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
                ? rv
                : throw StoreException.BadRequest($"resourceVersion: Invalid value: \"{rvText}\": must be a non-negative integer");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }
        var token = timeout.Token;

        context.Response.StatusCode = (int)HttpStatusCode.OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.FlushAsync(cancellationToken);
        var writer = new EventWriter(context.Response, path.Type, shape, store.Time);
        var visible = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var knowsAll = from is null || sendInitial;
            if (knowsAll)
            {
                var list = store.List(path.Type, path.Namespace, Matches);
                foreach (var item in list.Items)
                {
                    visible.Add(Key(item));
                    await writer.WriteAsync("ADDED", item, token);
                }
                if (sendInitial)
                {
                    await writer.WriteBookmarkAsync(list.ResourceVersion, initialEventsEnd: true, token);
                }
                from = list.ResourceVersion;
            }
            await foreach (var e in store.WatchAsync(path.Type, path.Namespace, from, progressNotify: bookmarks, token))
            {
                if (e.Type == WatchEventType.Bookmark)
                {
                    await writer.WriteBookmarkAsync(e.ResourceVersion, initialEventsEnd: false, token);
                    continue;
                }
                var key = Key(e.Object);
                if (Matches(e.Object))
                {
                    // An object that starts matching the selector is new to this watcher (known only when it saw the initial list).
                    var type = e.Type switch
                    {
                        WatchEventType.Deleted => "DELETED",
                        WatchEventType.Added => "ADDED",
                        _ => knowsAll && !visible.Contains(key) ? "ADDED" : "MODIFIED",
                    };
                    _ = e.Type == WatchEventType.Deleted ? visible.Remove(key) : visible.Add(key);
                    await writer.WriteAsync(type, e.Object, token);
                }
                else if (visible.Remove(key))
                {
                    // The object stopped matching the selector: to this watcher it is gone.
                    await writer.WriteAsync("DELETED", e.Object, token);
                }
            }
        }
        catch (StoreException e) when (e.Code == HttpStatusCode.Gone)
        {
            logger.LogDebug("Watch of {Resource} from {ResourceVersion} expired: {Message}", path.Type, rvText, e.Message);
            await writer.WriteErrorAsync(ApiStatus.Failure(e), cancellationToken);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            logger.LogDebug("Watch of {Resource} ended (timeout or client gone), pinned name {Name}", path.Type, pinnedName);
        }
    }

    private static string Key(JsonObject o) => o["metadata"]?["namespace"] + "/" + o["metadata"]?["name"];

    /// <summary>Writes watch events in the negotiated shape; a Table carries column definitions on its first event only.</summary>
    private sealed class EventWriter(HttpResponse response, ResourceType type, ResponseShape shape, TimeProvider time)
    {
        private bool _columnsSent;

        public Task WriteAsync(string eventType, JsonObject obj, CancellationToken cancellationToken)
        {
            JsonNode body = shape switch
            {
                ResponseShape.Table => Table([obj], obj["metadata"]?["resourceVersion"]?.ToString()),
                ResponseShape.PartialObjectMetadata => ObjectTables.PartialObjectMetadata(obj),
                _ => obj,
            };
            return SendAsync(eventType, body, cancellationToken);
        }

        public Task WriteBookmarkAsync(long resourceVersion, bool initialEventsEnd, CancellationToken cancellationToken)
        {
            var rv = resourceVersion.ToString(CultureInfo.InvariantCulture);
            var metadata = new JsonObject { ["resourceVersion"] = rv };
            if (initialEventsEnd)
            {
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }
            JsonNode body = shape switch
            {
                ResponseShape.Table => Table([], rv),
                ResponseShape.PartialObjectMetadata => new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = metadata },
                _ => new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata },
            };
            return SendAsync("BOOKMARK", body, cancellationToken);
        }

        public Task WriteErrorAsync(JsonObject status, CancellationToken cancellationToken) => SendAsync("ERROR", status, cancellationToken);

        private JsonObject Table(IEnumerable<JsonObject> items, string? resourceVersion)
        {
            var table = ObjectTables.Render(type, items, time.GetUtcNow(), new JsonObject { ["resourceVersion"] = resourceVersion }, includeColumns: !_columnsSent);
            _columnsSent = true;
            return table;
        }

        private async Task SendAsync(string eventType, JsonNode body, CancellationToken cancellationToken)
        {
            var line = ResponseFormat.Serialize(new JsonObject { ["type"] = eventType, ["object"] = body.DeepClone() }) + "\n";
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
    }
}
