using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>Settings of the emulated Kubernetes API server.</summary>
public sealed class KubernetesApiOptions
{
    /// <summary>How often watches that allow bookmarks receive one (the real API server sends them about every minute).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Maps the emulated Kubernetes API (discovery, OpenAPI v3, resources) onto an ASP.NET Core app.</summary>
public static class KubernetesApiEndpoints
{
    /// <summary>
    /// Serves <paramref name="store"/> as a Kubernetes API server: <c>/version</c>, <c>/api</c>, <c>/apis</c>,
    /// <c>/openapi/v3</c> and every resource URL of the kinds in <see cref="ResourceTypes"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapKubernetesApi(this IEndpointRouteBuilder app, ResourceStore store, KubernetesApiOptions? options = null)
    {
        options ??= new KubernetesApiOptions();
        var logger = app.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Dashboard.Sandbox.Kubernetes.Api") ?? NullLogger.Instance;
        var handler = new ResourceHandler(store, new WatchStreamer(store, logger), logger);
        var access = new Rbac.ApiAccess(store);
        var lifetime = app.ServiceProvider.GetService<IHostApplicationLifetime>();
        StartBookmarkTimer(store, options.BookmarkInterval, lifetime?.ApplicationStopping ?? CancellationToken.None);

        app.Map("/version", context => Guard(context, logger, access, () => ResponseFormat.WriteAsync(context, HttpStatusCode.OK, ApiDiscovery.Version(), context.RequestAborted)));
        app.Map("/api", context => Guard(context, logger, access, () =>
            ResponseFormat.WriteAsync(context, HttpStatusCode.OK, ApiDiscovery.CoreVersions(context.Request.Host.Value ?? "127.0.0.1"), context.RequestAborted)));
        app.Map("/apis", context => Guard(context, logger, access, () => ResponseFormat.WriteAsync(context, HttpStatusCode.OK, ApiDiscovery.GroupList(), context.RequestAborted)));
        app.MapPodLog(store, (context, action) => Guard(context, logger, access, action));
        app.MapSelfReviews(access.Authorizer, (context, action) => Guard(context, logger, access, action));
        app.Map("/api/{version}/{**rest}", context => Guard(context, logger, access, () => ServeAsync(context, handler, "")));
        app.Map("/apis/{group}/{**rest}", context => Guard(context, logger, access, () => ServeGroupAsync(context, handler)));
        app.Map("/openapi/v3", context => Guard(context, logger, access, () => ResponseFormat.WriteAsync(context, HttpStatusCode.OK, ApiDiscovery.OpenApiIndex(), context.RequestAborted)));
        app.Map("/openapi/v3/{**key}", context => Guard(context, logger, access, () =>
            ResponseFormat.WriteAsync(context, HttpStatusCode.OK,
                ApiDiscovery.OpenApiDocument(context.Request.RouteValues["key"]?.ToString() ?? "") ?? throw ApiStatus.PathNotFound(), context.RequestAborted)));
        return app;
    }

    private static Task ServeGroupAsync(HttpContext context, ResourceHandler handler)
    {
        var group = context.Request.RouteValues["group"]!.ToString()!;
        var rest = Segments(context.Request.RouteValues["rest"]);
        if (rest.Count == 0)
        {
            return ResponseFormat.WriteAsync(context, HttpStatusCode.OK, ApiDiscovery.Group(group) ?? throw ApiStatus.PathNotFound(), context.RequestAborted);
        }
        context.Request.RouteValues["version"] = rest[0];
        context.Request.RouteValues["rest"] = string.Join('/', rest.Skip(1));
        return ServeAsync(context, handler, group);
    }

    private static async Task ServeAsync(HttpContext context, ResourceHandler handler, string group)
    {
        var version = context.Request.RouteValues["version"]!.ToString()!;
        var rest = Segments(context.Request.RouteValues["rest"]);
        if (rest.Count == 0)
        {
            var list = ApiDiscovery.ResourceList(group, version) ?? throw ApiStatus.PathNotFound();
            await ResponseFormat.WriteAsync(context, HttpStatusCode.OK, list, context.RequestAborted);
            return;
        }
        var path = ApiPath.Parse(group, version, rest) ?? throw ApiStatus.PathNotFound();
        await handler.HandleAsync(context, path, context.RequestAborted);
    }

    private static List<string> Segments(object? value) =>
        (value?.ToString() ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();

    /// <summary>Authenticates and authorizes the request, and turns failures into Kubernetes Status responses, as long as the response has not started.</summary>
    private static async Task Guard(HttpContext context, ILogger logger, Rbac.ApiAccess access, Func<Task> action)
    {
        try
        {
            access.Check(context);
            await action();
        }
        catch (StoreException e) when (!context.Response.HasStarted)
        {
            await ResponseFormat.WriteErrorAsync(context, e, context.RequestAborted);
        }
        catch (JsonException e) when (!context.Response.HasStarted)
        {
            await ResponseFormat.WriteErrorAsync(context, StoreException.BadRequest(e.Message), context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            logger.LogDebug("{Method} {Path} abandoned by the client", context.Request.Method, context.Request.Path);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            await ResponseFormat.WriteErrorAsync(context, new StoreException(HttpStatusCode.InternalServerError, "InternalError", "Internal error occurred: " + e.Message), context.RequestAborted);
        }
    }

    private static void StartBookmarkTimer(ResourceStore store, TimeSpan interval, CancellationToken stopping)
    {
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval, store.Time);
            try
            {
                while (await timer.WaitForNextTickAsync(stopping))
                {
                    store.NotifyProgress();
                }
            }
            catch (OperationCanceledException)
            {
                // The application is stopping.
            }
        }, CancellationToken.None);
    }
}
