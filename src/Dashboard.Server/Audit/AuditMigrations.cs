using Dashboard.Server.State;

namespace Dashboard.Server.Audit;

/// <summary>
/// The audit table in the state store. The same table (and column types) the audit trail created on its own before it
/// moved into the state store's migrations, hence <c>IF NOT EXISTS</c>: a database that has it keeps its records.
/// </summary>
public static class AuditMigrations
{
    public static StateMigration AuditTable { get; } = new(
        "2026-12-03-20-changes-audit",
        """
        CREATE TABLE IF NOT EXISTS dashboard_audit (
            change_id TEXT PRIMARY KEY,
            at_utc INTEGER NOT NULL,
            user_name TEXT NOT NULL,
            namespace TEXT NOT NULL,
            object TEXT NOT NULL,
            record TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS dashboard_audit_at ON dashboard_audit (at_utc);
        """,
        """
        CREATE TABLE IF NOT EXISTS dashboard_audit (
            change_id text PRIMARY KEY,
            at_utc timestamptz NOT NULL,
            user_name text NOT NULL,
            namespace text NOT NULL,
            object text NOT NULL,
            record jsonb NOT NULL);
        CREATE INDEX IF NOT EXISTS dashboard_audit_at ON dashboard_audit (at_utc);
        """);
}
