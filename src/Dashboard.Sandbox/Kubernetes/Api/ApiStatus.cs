using System.Net;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>Builds Kubernetes <c>Status</c> objects (<c>meta/v1 Status</c>), the body of every error the API server returns.</summary>
internal static class ApiStatus
{
    public static JsonObject Failure(StoreException error)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = error.Message,
            ["reason"] = error.Reason,
            ["code"] = (int)error.Code,
        };
        var details = new JsonObject();
        if (error.Name is not null)
        {
            details["name"] = error.Name;
        }
        if (error.Type is not null)
        {
            details["group"] = error.Type.Group;
            // Invalid names the Kind (kubectl prints 'The Service "x" is invalid'); other reasons name the resource.
            details["kind"] = error.Reason == "Invalid" ? error.Type.Kind : error.Type.Plural;
        }
        if (error.Causes.Count > 0)
        {
            var causes = new JsonArray();
            foreach (var cause in error.Causes)
            {
                var c = new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Message };
                if (cause.Field is not null)
                {
                    c["field"] = cause.Field;
                }
                causes.Add(c);
            }
            details["causes"] = causes;
        }
        if (details.Count > 0)
        {
            status["details"] = details;
        }
        return status;
    }

    /// <summary>The Status a successful delete of a kind without an object body returns.</summary>
    public static JsonObject Success(ResourceType type, string name, string uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural, ["uid"] = uid },
    };

    public static StoreException PathNotFound() =>
        new(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");

    public static StoreException MethodNotAllowed(string method) =>
        new(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method})");

    public static StoreException UnsupportedMediaType(string contentType, IEnumerable<string> supported) =>
        new(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", supported)} (got \"{contentType}\")");

    public static StoreException NotAcceptable(string accept) =>
        new(HttpStatusCode.NotAcceptable, "NotAcceptable",
            $"only the following media types are accepted: application/json, application/yaml (Accept: \"{accept}\")");
}
