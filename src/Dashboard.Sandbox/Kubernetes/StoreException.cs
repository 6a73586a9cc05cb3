using System.Net;

namespace Dashboard.Sandbox.Kubernetes;

/// <summary>A cause inside a Kubernetes <c>Status</c> (<c>details.causes[]</c>).</summary>
public sealed record StatusCause(string Reason, string Message, string? Field);

/// <summary>
/// A failure the emulated API server reports as a Kubernetes <c>Status</c> object.
/// Thrown by <see cref="ResourceStore"/> and turned into the wire shape by the HTTP layer.
/// </summary>
public sealed class StoreException : Exception
{
    public StoreException(HttpStatusCode code, string reason, string message, ResourceType? type = null, string? name = null, IReadOnlyList<StatusCause>? causes = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Type = type;
        Name = name;
        Causes = causes ?? [];
    }

    public HttpStatusCode Code { get; }
    /// <summary>Kubernetes reason, e.g. NotFound, AlreadyExists, Conflict, Invalid, Expired, BadRequest.</summary>
    public string Reason { get; }
    public ResourceType? Type { get; }
    public string? Name { get; }
    public IReadOnlyList<StatusCause> Causes { get; }

    public static StoreException NotFound(ResourceType type, string name) =>
        new(HttpStatusCode.NotFound, "NotFound", $"{type} \"{name}\" not found", type, name);

    public static StoreException AlreadyExists(ResourceType type, string name) =>
        new(HttpStatusCode.Conflict, "AlreadyExists", $"{type} \"{name}\" already exists", type, name);

    public static StoreException Conflict(ResourceType type, string name) =>
        new(HttpStatusCode.Conflict, "Conflict",
            $"Operation cannot be fulfilled on {type} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            type, name);

    public static StoreException Invalid(ResourceType type, string name, IReadOnlyList<StatusCause> causes) =>
        new(HttpStatusCode.UnprocessableEntity, "Invalid",
            $"{type.Kind} \"{name}\" is invalid: " + string.Join(", ", causes.Select(c => c.Field is null ? c.Message : $"{c.Field}: {c.Message}")),
            type, name, causes);

    public static StoreException Expired(long requested, long oldest) =>
        new(HttpStatusCode.Gone, "Expired", $"too old resource version: {requested} ({oldest})");

    public static StoreException BadRequest(string message) =>
        new(HttpStatusCode.BadRequest, "BadRequest", message);
}
