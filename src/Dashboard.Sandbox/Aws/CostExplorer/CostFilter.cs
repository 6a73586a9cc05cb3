using System.Text.Json;

namespace Dashboard.Sandbox.Aws.CostExplorer;

/// <summary>A Cost Explorer filter Expression (And / Or / Not / Dimensions / Tags), parsed and validated.</summary>
public abstract record CostFilter
{
    public abstract bool Matches(CostLineItem item);

    public static CostFilter Parse(JsonElement expression, bool withResources)
    {
        var present = new[] { "And", "Or", "Not", "Dimensions", "Tags", "CostCategories" }
            .Where(name => expression.TryGetProperty(name, out _)).ToList();
        if (present.Count != 1)
        {
            throw CostExplorerApi.Validation($"Expression must contain exactly one of And, Or, Not, Dimensions, Tags or CostCategories; found {(present.Count == 0 ? "none" : string.Join(", ", present))}");
        }
        var value = expression.GetProperty(present[0]);
        switch (present[0])
        {
            case "And" or "Or":
                var operands = value.EnumerateArray().Select(e => Parse(e, withResources)).ToList();
                if (operands.Count < 2)
                {
                    throw CostExplorerApi.Validation($"{present[0]} expression must have at least 2 operands");
                }
                return present[0] == "And" ? new AllOf(operands) : new AnyOf(operands);
            case "Not":
                return new NoneOf(Parse(value, withResources));
            case "Dimensions":
                var key = value.GetProperty("Key").GetString()!;
                if (key is not ("SERVICE" or "USAGE_TYPE" or "REGION" or "LINKED_ACCOUNT" or "RECORD_TYPE") && !(withResources && key == "RESOURCE_ID"))
                {
                    throw CostExplorerApi.Validation($"Dimension '{key}' is not supported here: use SERVICE, USAGE_TYPE, REGION, LINKED_ACCOUNT or RECORD_TYPE{(withResources ? " or RESOURCE_ID" : "")}");
                }
                return new DimensionMatch(key, ReadValues(value), ReadOptions(value));
            case "Tags":
                return new TagMatch(value.GetProperty("Key").GetString() ?? "", ReadValues(value), ReadOptions(value));
            default:
                throw CostExplorerApi.Validation("CostCategories filters are not emulated by the sandbox: filter by Dimensions or Tags");
        }
    }

    public static string DimensionValue(CostLineItem item, string key) => key switch
    {
        "SERVICE" => item.Service,
        "USAGE_TYPE" => item.UsageType,
        "REGION" => item.Region,
        "LINKED_ACCOUNT" => item.LinkedAccount,
        "RESOURCE_ID" => item.ResourceId,
        _ => "Usage",
    };

    private static List<string> ReadValues(JsonElement element) =>
        element.TryGetProperty("Values", out var values) ? [.. values.EnumerateArray().Select(v => v.GetString() ?? "")] : [];

    private static List<string> ReadOptions(JsonElement element) =>
        element.TryGetProperty("MatchOptions", out var options) ? [.. options.EnumerateArray().Select(v => v.GetString() ?? "")] : ["EQUALS"];

    private static bool Match(string? actual, List<string> values, List<string> options)
    {
        if (options.Contains("ABSENT"))
        {
            return string.IsNullOrEmpty(actual);
        }
        if (actual is null)
        {
            return values.Contains("");
        }
        var comparison = options.Contains("CASE_INSENSITIVE") ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return values.Any(v =>
            options.Contains("STARTS_WITH") ? actual.StartsWith(v, comparison)
            : options.Contains("ENDS_WITH") ? actual.EndsWith(v, comparison)
            : options.Contains("CONTAINS") ? actual.Contains(v, comparison)
            : string.Equals(actual, v, comparison));
    }

    private sealed record AllOf(List<CostFilter> Operands) : CostFilter
    {
        public override bool Matches(CostLineItem item) => Operands.All(o => o.Matches(item));
    }

    private sealed record AnyOf(List<CostFilter> Operands) : CostFilter
    {
        public override bool Matches(CostLineItem item) => Operands.Any(o => o.Matches(item));
    }

    private sealed record NoneOf(CostFilter Operand) : CostFilter
    {
        public override bool Matches(CostLineItem item) => !Operand.Matches(item);
    }

    private sealed record DimensionMatch(string Key, List<string> Values, List<string> Options) : CostFilter
    {
        public override bool Matches(CostLineItem item) => Match(DimensionValue(item, Key), Values, Options);
    }

    private sealed record TagMatch(string Key, List<string> Values, List<string> Options) : CostFilter
    {
        public override bool Matches(CostLineItem item) => Match(item.Tags.GetValueOrDefault(Key), Values, Options);
    }
}
