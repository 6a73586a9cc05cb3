using System.Net;
using Dashboard.Server.Kubernetes;

namespace Dashboard.Server.Tests.Kubernetes;

public class BufferedResponseHandlerTests
{
    /// <summary>A body that records whether it was read before the handler returned.</summary>
    private sealed class WatchedContent : HttpContent
    {
        public bool Read { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            Read = true;
            await stream.WriteAsync("{\"items\":[]}"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private sealed class Answer(HttpContent content) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
    }

    [Theory]
    [InlineData("https://k8s.test/api/v1/pods?limit=500", true)]
    [InlineData("https://k8s.test/api/v1/namespaces/mlops/pods/api-1/log?tailLines=100&limitBytes=262144", true)]
    [InlineData("https://k8s.test/api/v1/pods?allowWatchBookmarks=true&resourceVersion=10&watch=true", false)]
    [InlineData("https://k8s.test/api/v1/namespaces/mlops/pods/api-1/log?follow=true", false)]
    [InlineData("https://k8s.test/api/v1/watch/pods", false)]
    public async Task Lists_and_gets_are_read_into_memory_before_the_client_sees_them_watches_stream(string url, bool buffered)
    {
        var content = new WatchedContent();
        using var handler = new BufferedResponseHandler { InnerHandler = new Answer(content) };
        using var invoker = new HttpMessageInvoker(handler);

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), CancellationToken.None);

        Assert.Equal(buffered, content.Read);
    }
}
