using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// Fallback for Services stored without a cluster IP or node ports (the API create path normally fills them
/// through <see cref="ServiceDefaults"/>): allocates the missing ones, as the API server's allocators would.
/// </summary>
internal sealed partial class ServiceAddressController(ClusterRuntime runtime, ILogger logger) : IClusterController
{
    public void OnChange(ObjectChange change)
    {
        if (change.Type == ResourceTypes.Services && change.New is not null && ServiceDefaults.NeedsDefaults(change.New))
        {
            runtime.Enqueue(this, JsonFields.Key(change.Namespace, change.Name));
        }
    }

    public void Reconcile(string key)
    {
        var (ns, name) = JsonFields.SplitKey(key);
        if (runtime.Cache(ResourceTypes.Services).Get(ns, name) is not { } service || !ServiceDefaults.NeedsDefaults(service))
        {
            return;
        }
        var taken = ServiceAddressSpace.FromStore(runtime.Store, ns, name);
        try
        {
            runtime.Mutate(ResourceTypes.Services, ns, name, s =>
            {
                ServiceDefaults.Apply(s, taken);
                return s;
            });
        }
        catch (StoreException e) when (e.Reason == "Invalid")
        {
            LogInvalid(ns, name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service {Namespace}/{Name} cannot get addresses: {Reason}")]
    private partial void LogInvalid(string @namespace, string name, string reason);
}
