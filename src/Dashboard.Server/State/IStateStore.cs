namespace Dashboard.Server.State;

/// <summary>
/// The dashboard's one state database: SQLite for a single replica (the embedded default), PostgreSQL when
/// <c>ConnectionStrings:Dashboard</c> is set (several replicas share it). One schema, one migration path
/// (<see cref="StateMigration"/>): a feature that needs a table registers a migration with
/// <see cref="StateExtensions.AddStateMigration"/> and reads or writes through its own SQL on <see cref="Dialect"/>.
/// Holds the published documents (the AWS snapshot, the cost report) and the Data Protection key ring.
/// </summary>
public interface IStateStore
{
    /// <summary>Which database, for logs and the status endpoint (no credentials).</summary>
    string Description { get; }

    StateDialect Dialect { get; }

    /// <summary>True when other replicas can share this store (PostgreSQL); SQLite is one replica's own file.</summary>
    bool IsShared { get; }

    /// <summary>Applies the migrations not applied yet, in order of their ids, each once, also when replicas start together.</summary>
    Task MigrateAsync(IReadOnlyList<StateMigration> migrations, CancellationToken cancellationToken);

    /// <summary>The ids of the migrations applied so far.</summary>
    Task<IReadOnlyList<string>> AppliedMigrationsAsync(CancellationToken cancellationToken);

    Task<StoredDocument?> ReadDocumentAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes (replaces) the document and tells the other replicas (<see cref="ListenAsync"/>) in the same transaction.</summary>
    Task WriteDocumentAsync(StoredDocument document, CancellationToken cancellationToken);

    /// <summary>
    /// The keys of documents written from now on by any replica, as they are committed (PostgreSQL <c>LISTEN/NOTIFY</c>).
    /// After a lost connection it yields <see cref="AllDocuments"/> once reconnected, so a listener re-reads what it may have
    /// missed. SQLite has no other writer: the sequence ends at once.
    /// </summary>
    IAsyncEnumerable<string> ListenAsync(CancellationToken cancellationToken);

    /// <summary>The Data Protection key ring's elements (XML), synchronous as <c>IXmlRepository</c> is.</summary>
    IReadOnlyList<string> ReadDataProtectionKeys();

    /// <summary>Adds one key ring element; an element with the same name is kept (keys are never rewritten).</summary>
    void StoreDataProtectionKey(string name, string xml);

    /// <summary>
    /// An open connection to the store, for a feature's own tables (created by its <see cref="StateMigration"/>); the
    /// caller disposes it. Parameters written <c>@name</c> work in both dialects.
    /// </summary>
    Task<System.Data.Common.DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Yielded by <see cref="ListenAsync"/> when every document may have changed.</summary>
    public const string AllDocuments = "*";
}

/// <summary>Which SQL a migration or a feature's query is written in.</summary>
public enum StateDialect
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// One published document: a key (e.g. <c>aws-snapshot</c>), its content (serialized by its owner), when and by which
/// replica it was written.
/// </summary>
public sealed record StoredDocument(string Key, byte[] Content, DateTimeOffset WrittenAt, string WrittenBy);

/// <summary>
/// One step of the schema. <paramref name="Id"/> orders the steps and is recorded once applied, so name it after its date
/// and feature (<c>2026-12-03-state-documents</c>) to avoid collisions between features; never edit an applied step, add one.
/// </summary>
public sealed record StateMigration(string Id, string Sqlite, string PostgreSql)
{
    public string Sql(StateDialect dialect) => dialect == StateDialect.Sqlite ? Sqlite : PostgreSql;
}
