using Dashboard.Client.Model;

namespace Dashboard.Server.Costs;

/// <summary>A cached part as stored for the other replicas and the next start: the value, its age and when it is next read.</summary>
public sealed record CachedPartState<T>(T? Value, DateTimeOffset? AsOf, CostSourceState State, string? Message, DateTimeOffset? NextAttemptAt) where T : class;

public sealed partial class CachedPart<T>
{
    public CachedPartState<T> Export() => new(Value, AsOf, State, Message, _nextAttemptAt);

    /// <summary>Takes over a part another replica (or a previous run) read: the next read is when it would have been there.</summary>
    public void Import(CachedPartState<T>? state)
    {
        if (state is null || state.State == CostSourceState.Pending)
        {
            return;
        }
        Value = state.Value;
        AsOf = state.AsOf;
        State = state.State;
        Message = state.Message;
        _nextAttemptAt = state.NextAttemptAt;
    }
}
