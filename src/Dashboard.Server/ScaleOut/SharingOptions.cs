namespace Dashboard.Server.ScaleOut;

/// <summary>How the polling leader shares what it read (<c>Dashboard:State</c> settings beside the database's).</summary>
public sealed class SharingOptions
{
    public const string SectionName = "Dashboard:State";

    /// <summary>
    /// Whether the AWS snapshot is written to the state store (for followers and a warm restart). Default: on, except in
    /// sandbox mode, whose embedded world is created anew at every start (a stored snapshot would describe a world gone).
    /// </summary>
    public bool? PublishAwsSnapshot { get; set; }

    /// <summary>The leader writes the snapshot at most this often (the first change after a quiet spell at once).</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromSeconds(1);
}
