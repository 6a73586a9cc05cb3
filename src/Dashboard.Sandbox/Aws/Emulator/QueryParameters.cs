using System.Globalization;

namespace Dashboard.Sandbox.Aws.Emulator;

/// <summary>
/// The flattened parameters of an AWS Query protocol request (<c>Names.member.1=…</c>,
/// <c>Attributes.member.1.Key=…</c>, <c>Matcher.HttpCode=…</c>), with typed readers that fail with the API's
/// ValidationError wording.
/// </summary>
public sealed class QueryParameters(IReadOnlyDictionary<string, string> values)
{
    public string? this[string name] => values.GetValueOrDefault(name);

    public string Required(string name) =>
        values.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw AwsApiException.Validation($"1 validation error detected: Value null at '{Camel(name)}' failed to satisfy constraint: Member must not be null");

    public int? Int(string name, int min, int max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw AwsApiException.Validation($"Value '{text}' for parameter {name} is invalid: expected an integer");
        }
        if (value < min)
        {
            throw AwsApiException.Validation($"1 validation error detected: Value '{value}' at '{Camel(name)}' failed to satisfy constraint: Member must have value greater than or equal to {min}");
        }
        if (value > max)
        {
            throw AwsApiException.Validation($"1 validation error detected: Value '{value}' at '{Camel(name)}' failed to satisfy constraint: Member must have value less than or equal to {max}");
        }
        return value;
    }

    public bool? Bool(string name) => values.GetValueOrDefault(name) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var other => throw AwsApiException.Validation($"Value '{other}' for parameter {name} is invalid: expected true or false"),
    };

    /// <summary>Reads <c>{name}.member.1</c>, <c>.member.2</c>, … in order.</summary>
    public IReadOnlyList<string> List(string name)
    {
        var result = new List<string>();
        for (var i = 1; values.TryGetValue($"{name}.member.{i}", out var value); i++)
        {
            result.Add(value);
        }
        return result;
    }

    /// <summary>Whether any <c>{name}.member.N…</c> parameter was sent (an explicitly empty list counts as <c>{name}=</c>).</summary>
    public bool Has(string name) => values.ContainsKey(name) || values.Keys.Any(k => k.StartsWith(name + ".", StringComparison.Ordinal));

    /// <summary>Reads structures <c>{name}.member.N.{field}</c> as dictionaries of their fields.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Structures(string name)
    {
        var result = new List<IReadOnlyDictionary<string, string>>();
        for (var i = 1; ; i++)
        {
            var prefix = $"{name}.member.{i}.";
            var fields = values.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
            if (fields.Count == 0)
            {
                return result;
            }
            result.Add(fields);
        }
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
