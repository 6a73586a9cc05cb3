namespace Dashboard.Server.State;

/// <summary>The migrations of the state store's own tables (documents, Data Protection keys).</summary>
public static class StateMigrations
{
    public static StateMigration Documents { get; } = new(
        "2026-12-03-01-state-documents",
        """
        CREATE TABLE IF NOT EXISTS dashboard_documents (
            key TEXT PRIMARY KEY,
            content BLOB NOT NULL,
            written_at INTEGER NOT NULL,
            written_by TEXT NOT NULL);
        """,
        """
        CREATE TABLE IF NOT EXISTS dashboard_documents (
            key text PRIMARY KEY,
            content bytea NOT NULL,
            written_at timestamptz NOT NULL,
            written_by text NOT NULL);
        """);

    public static StateMigration DataProtectionKeys { get; } = new(
        "2026-12-03-02-data-protection-keys",
        """
        CREATE TABLE IF NOT EXISTS dashboard_data_protection_keys (
            name TEXT PRIMARY KEY,
            xml TEXT NOT NULL);
        """,
        """
        CREATE TABLE IF NOT EXISTS dashboard_data_protection_keys (
            name text PRIMARY KEY,
            xml text NOT NULL);
        """);
}
