using System.Text;
using System.Text.Json.Nodes;
using static OrleansFlow.Silo.Notifications.Templates.TemplateValues;

namespace OrleansFlow.Silo.Notifications.Templates;

/// <summary>Renders parsed statements against a JSON context, within <see cref="TemplateLimits"/>. One instance per render.</summary>
internal sealed class TemplateEvaluator(JsonNode? context, TemplateLimits limits)
{
    private readonly StringBuilder _output = new();
    private readonly List<Dictionary<string, object?>> _scopes = [new(StringComparer.Ordinal)];
    private int _iterations;

    public string Render(IReadOnlyList<TemplateNode> nodes)
    {
        Run(nodes);
        return _output.ToString();
    }

    private void Run(IReadOnlyList<TemplateNode> nodes)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    Write(text.Text, default);
                    break;
                case OutputNode output:
                    Write(Str(Eval(output.Expression)), output.Expression.Position);
                    break;
                case IfNode branches:
                    var taken = branches.Branches.FirstOrDefault(b => Truthy(Eval(b.Condition)));
                    Run(taken.Body ?? branches.Else);
                    break;
                case ForNode loop:
                    For(loop);
                    break;
                case SetNode set:
                    _scopes[^1][set.Name] = Eval(set.Value);
                    break;
            }
        }
    }

    private void For(ForNode loop)
    {
        var items = Guard(() => Iterate(Eval(loop.Items)).ToList(), loop.Position);
        if (items.Count == 0)
        {
            Run(loop.Else);
            return;
        }

        var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
        _scopes.Add(scope);
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (++_iterations > limits.MaxIterations)
                {
                    throw new TemplateRenderException($"Too many loop iterations: at most {limits.MaxIterations} per render", loop.Position.Line, loop.Position.Column);
                }

                scope.Clear();
                Bind(scope, loop, items[i]);
                scope["loop"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["index"] = (long)i + 1,
                    ["index0"] = (long)i,
                    ["revindex"] = (long)(items.Count - i),
                    ["revindex0"] = (long)(items.Count - i - 1),
                    ["first"] = i == 0,
                    ["last"] = i == items.Count - 1,
                    ["length"] = (long)items.Count,
                    ["previtem"] = i > 0 ? items[i - 1] : Undefined.Instance,
                    ["nextitem"] = i < items.Count - 1 ? items[i + 1] : Undefined.Instance,
                };
                Run(loop.Body);
            }
        }
        finally
        {
            _scopes.RemoveAt(_scopes.Count - 1);
        }
    }

    private static void Bind(Dictionary<string, object?> scope, ForNode loop, object? item)
    {
        if (loop.Targets.Count == 1)
        {
            scope[loop.Targets[0]] = item;
            return;
        }

        var parts = Guard(() => Iterate(item).ToList(), loop.Position);
        if (parts.Count != loop.Targets.Count)
        {
            throw new TemplateRenderException($"Cannot unpack {parts.Count} values into {loop.Targets.Count} loop variables", loop.Position.Line, loop.Position.Column);
        }

        for (var i = 0; i < parts.Count; i++)
        {
            scope[loop.Targets[i]] = parts[i];
        }
    }

    private void Write(string text, SourcePosition position)
    {
        if (_output.Length + text.Length > limits.MaxOutputLength)
        {
            throw new TemplateRenderException($"The output is longer than {limits.MaxOutputLength} characters", position.Line, position.Column);
        }

        _output.Append(text);
    }

    private object? Eval(TemplateExpression expression) => Guard(() => EvalCore(expression), expression.Position);

    private static T Guard<T>(Func<T> evaluate, SourcePosition position)
    {
        try
        {
            return evaluate();
        }
        catch (Exception e) when (e is InvalidOperationException or ArithmeticException)
        {
            throw new TemplateRenderException(e.Message, position.Line, position.Column);
        }
    }

    private object? EvalCore(TemplateExpression expression)
    {
        switch (expression)
        {
            case LiteralExpression literal:
                return literal.Value;
            case NameExpression name:
                for (var i = _scopes.Count - 1; i >= 0; i--)
                {
                    if (_scopes[i].TryGetValue(name.Name, out var value))
                    {
                        return value;
                    }
                }

                return context is JsonObject root ? Item(root, name.Name) : Undefined.Instance;
            case AttributeExpression attribute:
                return Attribute(Eval(attribute.Target), attribute.Name);
            case IndexExpression index:
                return Item(Eval(index.Target), Eval(index.Key));
            case ListExpression list:
                return list.Items.Select(Eval).ToList();
            case DictExpression dict:
                return dict.Items.ToDictionary(p => Str(Eval(p.Key)), p => Eval(p.Value), StringComparer.Ordinal);
            case FilterExpression filter:
                var target = Eval(filter.Target);
                var args = filter.Args.Select(Eval).ToList();
                var kwargs = filter.Kwargs.ToDictionary(p => p.Key, p => Eval(p.Value), StringComparer.Ordinal);
                var result = TemplateFilters.Apply(filter.Name, target, args, kwargs);
                return result is string s && s.Length > limits.MaxOutputLength
                    ? throw new InvalidOperationException($"The output is longer than {limits.MaxOutputLength} characters")
                    : result;
            case TestExpression test:
                return TemplateFilters.Test(test.Name, Eval(test.Target), test.Args.Select(Eval).ToList()) != test.Negated;
            case CallExpression call:
                return Call(call);
            case UnaryExpression unary:
                var operand = Eval(unary.Operand);
                return unary.Operator switch
                {
                    "not" => !Truthy(operand),
                    "-" => operand switch
                    {
                        long n => (object)checked(-n),
                        double d => -d,
                        _ => throw new InvalidOperationException($"bad operand type for unary -: '{TypeName(operand)}'"),
                    },
                    _ => IsNumber(operand) ? operand : throw new InvalidOperationException($"bad operand type for unary +: '{TypeName(operand)}'"),
                };
            case BinaryExpression binary:
                return Binary(binary);
            case ConditionalExpression conditional:
                return Truthy(Eval(conditional.Condition)) ? Eval(conditional.Then)
                    : conditional.Otherwise is { } otherwise ? Eval(otherwise) : Undefined.Instance;
            default:
                throw new InvalidOperationException($"Unsupported expression {expression.GetType().Name}");
        }
    }

    private object? Binary(BinaryExpression binary)
    {
        switch (binary.Operator)
        {
            case "and":
                var left = Eval(binary.Left);
                return Truthy(left) ? Eval(binary.Right) : left;
            case "or":
                var first = Eval(binary.Left);
                return Truthy(first) ? first : Eval(binary.Right);
        }

        var a = Eval(binary.Left);
        var b = Eval(binary.Right);
        return binary.Operator switch
        {
            "~" => Concatenate(Str(a), Str(b)),
            "==" => Equal(a, b),
            "!=" => !Equal(a, b),
            "<" => Compare(a, b) < 0,
            ">" => Compare(a, b) > 0,
            "<=" => Compare(a, b) <= 0,
            ">=" => Compare(a, b) >= 0,
            "in" => Contains(b, a),
            _ => Arithmetic(binary.Operator, a, b, limits.MaxOutputLength),
        };
    }

    private string Concatenate(string a, string b) => a.Length + b.Length > limits.MaxOutputLength
        ? throw new InvalidOperationException($"The output is longer than {limits.MaxOutputLength} characters")
        : a + b;

    /// <summary><c>needle in haystack</c>: a substring, a sequence's item, a mapping's key.</summary>
    public static bool Contains(object? haystack, object? needle) => haystack switch
    {
        string s => needle is string n ? s.Contains(n, StringComparison.Ordinal) : throw new InvalidOperationException("'in <string>' requires string as left operand"),
        JsonObject or Dictionary<string, object?> => needle is string key && Item(haystack, key) is not Undefined,
        JsonArray or List<object?> => Iterate(haystack).Any(i => Equal(i, needle)),
        Undefined or null => false,
        _ => throw new InvalidOperationException($"argument of type '{TypeName(haystack)}' is not iterable"),
    };

    /// <summary>Python's <c>+ - * / // %</c> on numbers, <c>+</c> on strings and lists, <c>*</c> of a string by a
    /// count (bounded by <paramref name="maxLength"/>).</summary>
    public static object? Arithmetic(string op, object? a, object? b, int maxLength)
    {
        if (a is Undefined || b is Undefined)
        {
            throw new InvalidOperationException($"unsupported operand for {op}: a value is undefined");
        }

        switch (op, a, b)
        {
            case ("+", string x, string y):
                return x.Length + y.Length > maxLength ? throw new InvalidOperationException($"The output is longer than {maxLength} characters") : x + y;
            case ("+", _, _) when IsSequence(a) && IsSequence(b):
                return Iterate(a).Concat(Iterate(b)).ToList();
            case ("*", string s, long n):
                return (long)s.Length * Math.Max(n, 0) > maxLength
                    ? throw new InvalidOperationException($"The output is longer than {maxLength} characters")
                    : string.Concat(Enumerable.Repeat(s, (int)Math.Max(n, 0)));
            case (_, long x, long y):
                return op switch
                {
                    "+" => (object)checked(x + y),
                    "-" => checked(x - y),
                    "*" => checked(x * y),
                    "/" => y == 0 ? throw new DivideByZeroException("division by zero") : (double)x / y,
                    "//" => y == 0 ? throw new DivideByZeroException("integer division or modulo by zero") : FloorDiv(x, y),
                    _ => y == 0 ? throw new DivideByZeroException("integer division or modulo by zero") : ((x % y) + y) % y,
                };
        }

        if (Numeric(a) is { } m && Numeric(b) is { } n2 && a is not bool && b is not bool)
        {
            return op switch
            {
                "+" => m + n2,
                "-" => m - n2,
                "*" => m * n2,
                "/" => n2 == 0 ? throw new DivideByZeroException("float division by zero") : m / n2,
                "//" => n2 == 0 ? throw new DivideByZeroException("float floor division by zero") : Math.Floor(m / n2),
                _ => n2 == 0 ? throw new DivideByZeroException("float modulo") : m - (n2 * Math.Floor(m / n2)),
            };
        }

        throw new InvalidOperationException($"unsupported operand type(s) for {op}: '{TypeName(a)}' and '{TypeName(b)}'");
    }

    private static long FloorDiv(long x, long y)
    {
        var q = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q;
    }

    private object? Call(CallExpression call)
    {
        var args = call.Args.Select(Eval).ToList();
        if (call.Target is null)
        {
            var numbers = args.Select(a => a as long? ?? throw new InvalidOperationException($"range() takes integers, not '{TypeName(a)}'")).ToList();
            var (start, stop, step) = numbers.Count switch
            {
                1 => (0L, numbers[0], 1L),
                2 => (numbers[0], numbers[1], 1L),
                3 => (numbers[0], numbers[1], numbers[2]),
                _ => throw new InvalidOperationException($"range() takes 1 to 3 arguments, {numbers.Count} given"),
            };
            if (step == 0)
            {
                throw new InvalidOperationException("range() arg 3 must not be zero");
            }

            var count = step > 0 ? Math.Max(0, (stop - start + step - 1) / step) : Math.Max(0, (start - stop - step - 1) / -step);
            if (count > limits.MaxRange)
            {
                throw new InvalidOperationException($"Range too big: at most {limits.MaxRange} elements");
            }

            return Enumerable.Range(0, (int)count).Select(i => (object?)(start + (i * step))).ToList();
        }

        var target = Eval(call.Target);
        var pairs = Pairs(target).ToList();
        return call.Name switch
        {
            "items" => pairs.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList(),
            "keys" => pairs.Select(p => (object?)p.Key).ToList(),
            "values" => pairs.Select(p => p.Value).ToList(),
            _ => args.Count > 0 && Item(target, args[0]) is var found && found is not Undefined ? found : args.Count > 1 ? args[1] : null,
        };
    }
}
