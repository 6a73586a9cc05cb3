using System.Globalization;

namespace Dashboard.Sandbox.Aws.CloudWatch;

/// <summary>
/// Metric math: arithmetic (<c>+ - * /</c>, numbers, parentheses, unary minus) over the ids of other queries in the same
/// call, e.g. <c>100*m1/m2</c>. As in CloudWatch, two series combine on the timestamps both have, a scalar applies to every
/// point, a division by zero yields no point. Functions (<c>SUM</c>, <c>METRICS()</c>, <c>FILL</c>…) are not emulated and
/// answer a ValidationError naming the expression. Hand-written: a few dozen lines, no served package parses this syntax.
/// </summary>
public sealed partial class CloudWatchApi
{
    private static MetricDataQuery BuildExpressionQuery(string field, string? id, string? expression, string? label, bool returnData, bool hasMetricStat)
    {
        if (id is null || !IdPattern().IsMatch(id))
        {
            throw Validation($"The value {id ?? "null"} for parameter {field}.Id is invalid: it must start with a lower-case letter and contain only letters, digits and underscores.");
        }
        if (hasMetricStat)
        {
            throw Validation($"Exactly one of {field}.Expression and {field}.MetricStat must be specified, not both.");
        }
        if (string.IsNullOrWhiteSpace(expression))
        {
            throw Validation($"The parameter {field}.Expression must not be empty.");
        }
        return new MetricDataQuery(id, null, 0, null, "", label, returnData, expression);
    }

    /// <summary>The datapoints of every query (returned or not), expressions evaluated after the metrics they read.</summary>
    private Dictionary<string, IReadOnlyList<MetricDatapoint>> Evaluate(MetricDataRequest request)
    {
        var series = new Dictionary<string, IReadOnlyList<MetricDatapoint>>(StringComparer.Ordinal);
        foreach (var query in request.Queries.Where(q => q.Expression is null))
        {
            series[query.Id] = traffic.GetDatapoints(query.Metric!, request.StartTime, request.EndTime, query.Period, query.Stat!);
        }
        var pending = request.Queries.Where(q => q.Expression is not null).ToList();
        while (pending.Count > 0)
        {
            var ready = pending.FirstOrDefault(q => new ExpressionParser(q.Expression!, q.Id).Identifiers().All(series.ContainsKey));
            if (ready is null)
            {
                var stuck = pending[0];
                var unknown = new ExpressionParser(stuck.Expression!, stuck.Id).Identifiers().First(i => !series.ContainsKey(i));
                throw Validation(request.Queries.Any(q => q.Id == unknown)
                    ? $"Metric math expressions {string.Join(", ", pending.Select(q => q.Id))} refer to each other in a cycle."
                    : $"Error in expression '{stuck.Id}': Unrecognized metric or expression id '{unknown}' in '{stuck.Expression}'.");
            }
            series[ready.Id] = new ExpressionParser(ready.Expression!, ready.Id).Evaluate(series);
            pending.Remove(ready);
        }
        return series;
    }

    /// <summary>A value during evaluation: a series (timestamp → value, ascending) or a scalar.</summary>
    private sealed record Operand(SortedDictionary<DateTimeOffset, double>? Series, double Scalar);

    private sealed class ExpressionParser(string text, string id)
    {
        private int _at;
        private Dictionary<string, IReadOnlyList<MetricDatapoint>>? _inputs;
        private readonly List<string> _identifiers = [];

        public List<string> Identifiers()
        {
            _at = 0;
            _inputs = null;
            _identifiers.Clear();
            Parse();
            return _identifiers;
        }

        public IReadOnlyList<MetricDatapoint> Evaluate(Dictionary<string, IReadOnlyList<MetricDatapoint>> inputs)
        {
            _at = 0;
            _inputs = inputs;
            var result = Parse();
            return result.Series is null
                ? throw Validation($"Error in expression '{id}': '{text}' is a constant; a metric math expression must refer to at least one metric.")
                : [.. result.Series.Where(p => double.IsFinite(p.Value)).Select(p => new MetricDatapoint(p.Key, p.Value))];
        }

        private Operand Parse()
        {
            var value = Sum();
            Skip();
            return _at < text.Length ? throw Error($"unexpected '{text[_at]}' at position {_at + 1}") : value;
        }

        private Operand Sum()
        {
            var left = Product();
            while (Peek() is '+' or '-')
            {
                var op = text[_at++];
                left = Combine(left, Product(), op);
            }
            return left;
        }

        private Operand Product()
        {
            var left = Unary();
            while (Peek() is '*' or '/')
            {
                var op = text[_at++];
                left = Combine(left, Unary(), op);
            }
            return left;
        }

        private Operand Unary()
        {
            if (Peek() == '-')
            {
                _at++;
                return Combine(new Operand(null, -1), Unary(), '*');
            }
            return Atom();
        }

        private Operand Atom()
        {
            var c = Peek();
            if (c == '(')
            {
                _at++;
                var inner = Sum();
                if (Peek() != ')')
                {
                    throw Error("missing ')'");
                }
                _at++;
                return inner;
            }
            var start = _at;
            if (c is >= '0' and <= '9' or '.')
            {
                while (_at < text.Length && (char.IsAsciiDigit(text[_at]) || text[_at] == '.'))
                {
                    _at++;
                }
                return double.TryParse(text[start.._at], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                    ? new Operand(null, number)
                    : throw Error($"'{text[start.._at]}' is not a number");
            }
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z')
            {
                while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] == '_'))
                {
                    _at++;
                }
                var name = text[start.._at];
                if (Peek() == '(' || name.Any(char.IsAsciiLetterUpper))
                {
                    throw Error($"the function {name} is not emulated by the sandbox (arithmetic over query ids only)");
                }
                _identifiers.Add(name);
                if (_inputs is null)
                {
                    return new Operand(null, 0);
                }
                var series = new SortedDictionary<DateTimeOffset, double>();
                foreach (var point in _inputs[name])
                {
                    series[point.Timestamp] = point.Value;
                }
                return new Operand(series, 0);
            }
            throw Error(_at >= text.Length ? "the expression ends too early" : $"unexpected '{c}' at position {_at + 1}");
        }

        private static Operand Combine(Operand left, Operand right, char op)
        {
            static double Apply(double a, double b, char op) => op switch
            {
                '+' => a + b,
                '-' => a - b,
                '*' => a * b,
                _ => b == 0 ? double.NaN : a / b,
            };
            if (left.Series is null && right.Series is null)
            {
                return new Operand(null, Apply(left.Scalar, right.Scalar, op));
            }
            var result = new SortedDictionary<DateTimeOffset, double>();
            if (left.Series is not null && right.Series is not null)
            {
                foreach (var (time, value) in left.Series)
                {
                    if (right.Series.TryGetValue(time, out var other))
                    {
                        result[time] = Apply(value, other, op);
                    }
                }
            }
            else
            {
                foreach (var (time, value) in (left.Series ?? right.Series)!)
                {
                    result[time] = left.Series is null ? Apply(left.Scalar, value, op) : Apply(value, right.Scalar, op);
                }
            }
            return new Operand(result, 0);
        }

        private char Peek()
        {
            Skip();
            return _at < text.Length ? text[_at] : '\0';
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private Dashboard.Sandbox.Aws.AwsApiException Error(string what) => Validation($"Error in expression '{id}': {what} in '{text}'.");
    }
}
