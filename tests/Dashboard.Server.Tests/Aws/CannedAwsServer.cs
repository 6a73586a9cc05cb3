using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dashboard.Server.Tests.Aws;

/// <summary>A request as the canned server received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The form fields of a Query protocol body.</summary>
    public IReadOnlyDictionary<string, string> Form =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(BodyText).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
}

/// <summary>An answer the canned server sends.</summary>
internal sealed record CannedResponse(int StatusCode, string Body, string ContentType = "text/xml", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static CannedResponse Xml(string body, int status = 200, string? requestId = null) =>
        new(status, body, "text/xml", requestId is null ? null : new Dictionary<string, string> { ["x-amzn-RequestId"] = requestId });

    public static CannedResponse Json(string body, int status = 200, string contentType = "application/x-amz-json-1.0", IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, body, contentType, headers);
}

/// <summary>
/// A tiny real HTTP server on 127.0.0.1:0 that records every request and answers from a script —
/// the AWS side of the client tests, over real sockets rather than a mocked handler.
/// </summary>
internal sealed class CannedAwsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private Func<RecordedRequest, int, CannedResponse> _respond = (_, _) => new CannedResponse(500, "no script");

    private CannedAwsServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<CannedAwsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new CannedAwsServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address + "/");
        return server;
    }

    /// <summary>Sets the script: called with each request and its 0-based index among all requests.</summary>
    public void Respond(Func<RecordedRequest, int, CannedResponse> respond) => _respond = respond;

    /// <summary>Answers the requests in order with <paramref name="responses"/>; the last one repeats.</summary>
    public void RespondInOrder(params CannedResponse[] responses) => _respond = (_, index) => responses[Math.Min(index, responses.Length - 1)];

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? string.Empty, headers, buffer.ToArray());
        int index;
        lock (_requests)
        {
            index = _requests.Count;
            _requests.Enqueue(recorded);
        }
        var response = _respond(recorded, index);
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        foreach (var header in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[header.Key] = header.Value;
        }
        await context.Response.WriteAsync(response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
