using System.Globalization;

namespace Dashboard.Server.Aws;

/// <summary>
/// The form body of an AWS Query protocol request (<c>Action=…&amp;Version=…</c>), with the protocol's
/// flattening of lists (<c>Names.member.1=…</c>) and structures (<c>Targets.member.1.Id=…</c>).
/// </summary>
internal sealed class AwsQueryRequest
{
    private readonly List<KeyValuePair<string, string>> _parameters = [];

    public AwsQueryRequest(string action, string version)
    {
        Action = action;
        Add("Action", action);
        Add("Version", version);
    }

    public string Action { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

    public AwsQueryRequest Add(string name, string? value)
    {
        if (value is not null)
        {
            _parameters.Add(new(name, value));
        }
        return this;
    }

    public AwsQueryRequest Add(string name, int? value) =>
        Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public AwsQueryRequest AddMembers(string listName, IEnumerable<string>? values)
    {
        var index = 1;
        foreach (var value in values ?? [])
        {
            Add($"{listName}.member.{index++}", value);
        }
        return this;
    }

    public HttpContent ToContent() => new FormUrlEncodedContent(_parameters);
}
