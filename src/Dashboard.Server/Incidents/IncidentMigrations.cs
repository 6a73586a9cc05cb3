using Dashboard.Server.State;

namespace Dashboard.Server.Incidents;

/// <summary>The incident history's table: one row per incident, its content as JSON, times as Unix milliseconds.</summary>
public static class IncidentMigrations
{
    public static StateMigration Incidents { get; } = new(
        "2026-12-03-10-incidents",
        """
        CREATE TABLE IF NOT EXISTS dashboard_incidents (
            id TEXT PRIMARY KEY,
            endpoint TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            cleared_at INTEGER NULL,
            updated_at INTEGER NOT NULL,
            content TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS dashboard_incidents_updated ON dashboard_incidents (updated_at);
        """,
        """
        CREATE TABLE IF NOT EXISTS dashboard_incidents (
            id text PRIMARY KEY,
            endpoint text NOT NULL,
            started_at bigint NOT NULL,
            cleared_at bigint NULL,
            updated_at bigint NOT NULL,
            content text NOT NULL);
        CREATE INDEX IF NOT EXISTS dashboard_incidents_updated ON dashboard_incidents (updated_at);
        """);
}
