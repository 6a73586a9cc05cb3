using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Dashboard.Server.State;

/// <summary>
/// The Data Protection key ring in the state store, so every replica reads the same keys: a cookie or antiforgery token
/// made by one replica is valid on the others, and a restart keeps signed-in users signed in. The keys are as secret as
/// the database: protect it (and its backups) like the sessions it holds.
/// </summary>
public sealed class DataProtectionKeyRepository(IStateStore store, StateSchema schema) : IXmlRepository
{
    // IXmlRepository is synchronous; the schema task is awaited once and is complete from then on.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        schema.EnsureMigratedAsync(CancellationToken.None).GetAwaiter().GetResult();
        return [.. store.ReadDataProtectionKeys().Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        schema.EnsureMigratedAsync(CancellationToken.None).GetAwaiter().GetResult();
        store.StoreDataProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }
}
