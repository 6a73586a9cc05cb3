namespace Dashboard.Server.Kubernetes;

/// <summary>
/// Reads every non-streaming Kubernetes answer into memory asynchronously before KubernetesClient sees it.
/// KubernetesClient asks for headers only (so that watches stream) and then deserialises list and get bodies from the
/// network stream synchronously, which blocks a thread-pool thread per request on socket reads; with nine kinds listing
/// at once on a small machine that starves the pool and stretches the initial sync. Watches and followed logs stream
/// and are left alone.
/// </summary>
public sealed class BufferedResponseHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!IsStreaming(request.RequestUri))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
        }
        return response;
    }

    /// <summary>Watches (<c>watch=true</c>, or the old <c>/watch/</c> paths) and followed pod logs (<c>follow=true</c>).</summary>
    public static bool IsStreaming(Uri? uri)
    {
        if (uri is null)
        {
            return false;
        }
        if (uri.AbsolutePath.Contains("/watch/", StringComparison.Ordinal))
        {
            return true;
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.Equals("watch=true", StringComparison.OrdinalIgnoreCase) || pair.Equals("watch=1", StringComparison.Ordinal)
                || pair.Equals("follow=true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
