using System.Data.Common;

namespace Dashboard.Server.Authentication.Sessions;

/// <summary>What both session stores read the same way, whatever the database.</summary>
internal static class SessionRows
{
    /// <summary>The session keys a command returns in its first column (<c>… RETURNING session_key</c>).</summary>
    public static async Task<IReadOnlyList<string>> ReadKeysAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }
}
