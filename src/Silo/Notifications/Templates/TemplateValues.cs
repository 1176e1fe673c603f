using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Silo.Notifications.Templates;

/// <summary>Jinja's undefined value (Prefect uses <c>ChainableUndefined</c>): renders as nothing, is false, iterates as
/// empty, and any attribute or item of it is undefined too.</summary>
internal sealed class Undefined
{
    public static readonly Undefined Instance = new();

    private Undefined()
    {
    }
}

/// <summary>The values a template computes with, as Python sees them: <c>null</c> (None), <see cref="Undefined"/>,
/// <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, a mapping
/// (<see cref="JsonObject"/> from the context or <see cref="Dictionary{TKey,TValue}"/> made in the template) or a
/// sequence (<see cref="JsonArray"/> or <see cref="List{T}"/>). JSON leaves become primitives when they are read.</summary>
internal static class TemplateValues
{
    public static object? FromNode(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return node;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var text = value.ToJsonString();
                return text.AsSpan().IndexOfAny(".eE") < 0 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : (object)double.Parse(text, CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }

    public static bool IsMapping(object? value) => value is JsonObject or Dictionary<string, object?>;

    public static bool IsSequence(object? value) => value is JsonArray or List<object?>;

    public static bool IsNumber(object? value) => value is long or double;

    public static bool Truthy(object? value) => value switch
    {
        null or Undefined => false,
        bool b => b,
        long n => n != 0,
        double d => d != 0,
        string s => s.Length > 0,
        _ => Length(value) > 0,
    };

    public static int Length(object? value) => value switch
    {
        string s => s.Length,
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        Dictionary<string, object?> d => d.Count,
        List<object?> l => l.Count,
        Undefined => 0,
        _ => throw new InvalidOperationException($"object of type '{TypeName(value)}' has no len()"),
    };

    /// <summary>The pairs of a mapping, values unwrapped.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Pairs(object? mapping) => mapping switch
    {
        JsonObject o => o.Select(p => KeyValuePair.Create(p.Key, FromNode(p.Value))),
        Dictionary<string, object?> d => d,
        _ => [],
    };

    /// <summary>What a <c>for</c> loop goes through: the items of a sequence, the keys of a mapping, the characters of
    /// a string, nothing for undefined or None.</summary>
    public static IEnumerable<object?> Iterate(object? value) => value switch
    {
        JsonArray a => a.Select(FromNode),
        List<object?> l => l,
        JsonObject or Dictionary<string, object?> => Pairs(value).Select(p => (object?)p.Key),
        string s => s.Select(c => (object?)c.ToString()),
        null or Undefined => [],
        _ => throw new InvalidOperationException($"'{TypeName(value)}' object is not iterable"),
    };

    /// <summary><c>target.name</c>: a mapping's key; for a Prefect resource (a mapping of labels), <c>id</c>, <c>name</c>
    /// and <c>role</c> read the <c>prefect.resource.*</c> labels as Prefect's Resource model does.</summary>
    public static object? Attribute(object? target, string name)
    {
        if (IsMapping(target))
        {
            var found = Item(target, name);
            return found is Undefined && name is "id" or "name" or "role" ? Item(target, "prefect.resource." + name) : found;
        }

        return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? Item(target, (long)index) : Undefined.Instance;
    }

    /// <summary><c>target[key]</c>; undefined when it is not there.</summary>
    public static object? Item(object? target, object? key)
    {
        switch (target)
        {
            case JsonObject o when key is string s:
                return o.TryGetPropertyValue(s, out var node) ? FromNode(node) : Undefined.Instance;
            case Dictionary<string, object?> d when key is string s:
                return d.TryGetValue(s, out var item) ? item : Undefined.Instance;
            case JsonArray or List<object?> or string when key is long index:
                var count = Length(target);
                var at = index < 0 ? index + count : index;
                if (at < 0 || at >= count)
                {
                    return Undefined.Instance;
                }

                return target switch
                {
                    JsonArray a => FromNode(a[(int)at]),
                    List<object?> l => l[(int)at],
                    _ => ((string)target)[(int)at].ToString(),
                };
            default:
                return Undefined.Instance;
        }
    }

    public static bool Equal(object? a, object? b) => (a, b) switch
    {
        (Undefined, Undefined) => true,
        (Undefined, _) or (_, Undefined) => false,
        (null, null) => true,
        (null, _) or (_, null) => false,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        _ when Numeric(a) is { } x && Numeric(b) is { } y => x == y,
        _ when (IsMapping(a) && IsMapping(b)) || (IsSequence(a) && IsSequence(b)) => ToJson(a, null) == ToJson(b, null),
        _ => false,
    };

    /// <summary>Orders two numbers or two strings; anything else cannot be compared (as in Python).</summary>
    public static int Compare(object? a, object? b)
    {
        if (a is string x && b is string y)
        {
            return string.CompareOrdinal(x, y);
        }

        if (Numeric(a) is { } m && Numeric(b) is { } n)
        {
            return m.CompareTo(n);
        }

        throw new InvalidOperationException($"'<' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    public static double? Numeric(object? value) => value switch
    {
        long n => n,
        double d => d,
        bool b => b ? 1 : 0,
        _ => null,
    };

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        Undefined => "Undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        JsonObject or Dictionary<string, object?> => "dict",
        _ => "list",
    };

    /// <summary>Python's <c>str()</c>, as Jinja prints a value.</summary>
    public static string Str(object? value) => value switch
    {
        Undefined => "",
        string s => s,
        _ => Repr(value),
    };

    /// <summary>Python's <c>repr()</c>: <c>None</c>, <c>True</c>, <c>1.0</c>, <c>'text'</c>, <c>{'a': [1, 2]}</c>.</summary>
    public static string Repr(object? value)
    {
        var builder = new StringBuilder();
        WriteRepr(builder, value);
        return builder.ToString();
    }

    private static void WriteRepr(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("None");
                break;
            case Undefined:
                break;
            case bool b:
                builder.Append(b ? "True" : "False");
                break;
            case long n:
                builder.Append(n.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                builder.Append(FloatText(d));
                break;
            case string s:
                var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
                builder.Append(quote);
                foreach (var c in s)
                {
                    builder.Append(c switch
                    {
                        '\\' => "\\\\",
                        '\n' => "\\n",
                        '\r' => "\\r",
                        '\t' => "\\t",
                        _ when c == quote => "\\" + c,
                        _ => c.ToString(),
                    });
                }

                builder.Append(quote);
                break;
            case JsonObject or Dictionary<string, object?>:
                builder.Append('{');
                var first = true;
                foreach (var (key, item) in Pairs(value))
                {
                    builder.Append(first ? "" : ", ");
                    first = false;
                    WriteRepr(builder, key);
                    builder.Append(": ");
                    WriteRepr(builder, item);
                }

                builder.Append('}');
                break;
            default:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in Iterate(value))
                {
                    builder.Append(firstItem ? "" : ", ");
                    firstItem = false;
                    WriteRepr(builder, item);
                }

                builder.Append(']');
                break;
        }
    }

    /// <summary>Python's float repr: <c>1.0</c>, <c>0.1</c>, <c>inf</c>, <c>nan</c>.</summary>
    public static string FloatText(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }

        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text.Replace("E", "e", StringComparison.Ordinal) : text + ".0";
    }

    /// <summary>Jinja's <c>tojson</c> as Prefect configures it: keys sorted, Python's separators, non-ASCII escaped, and
    /// <c>&lt; &gt; &amp; '</c> escaped so the output is safe inside HTML. Undefined is written as <c>null</c>.</summary>
    public static string ToJson(object? value, int? indent)
    {
        var builder = new StringBuilder();
        WriteJson(builder, value, indent, 0);
        return builder.ToString();
    }

    private static void WriteJson(StringBuilder builder, object? value, int? indent, int depth)
    {
        switch (value)
        {
            case null or Undefined:
                builder.Append("null");
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            case long n:
                builder.Append(n.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                builder.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : FloatText(d));
                break;
            case string s:
                builder.Append('"');
                foreach (var c in s)
                {
                    builder.Append(c switch
                    {
                        '"' => "\\\"",
                        '\\' => "\\\\",
                        '\n' => "\\n",
                        '\r' => "\\r",
                        '\t' => "\\t",
                        '\b' => "\\b",
                        '\f' => "\\f",
                        '<' or '>' or '&' or '\'' or < ' ' or > '~' => $"\\u{(int)c:x4}",
                        _ => c.ToString(),
                    });
                }

                builder.Append('"');
                break;
            case JsonObject or Dictionary<string, object?>:
                var pairs = Pairs(value).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
                WriteContainer(builder, '{', '}', pairs.Count, indent, depth, i =>
                {
                    WriteJson(builder, pairs[i].Key, indent, depth + 1);
                    builder.Append(": ");
                    WriteJson(builder, pairs[i].Value, indent, depth + 1);
                });
                break;
            default:
                var items = Iterate(value).ToList();
                WriteContainer(builder, '[', ']', items.Count, indent, depth, i => WriteJson(builder, items[i], indent, depth + 1));
                break;
        }
    }

    private static void WriteContainer(StringBuilder builder, char open, char close, int count, int? indent, int depth, Action<int> item)
    {
        builder.Append(open);
        if (count == 0)
        {
            builder.Append(close);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            if (indent is { } spaces)
            {
                builder.Append(i == 0 ? "" : ",").Append('\n').Append(' ', spaces * (depth + 1));
            }
            else if (i > 0)
            {
                builder.Append(", ");
            }

            item(i);
        }

        if (indent is { } n)
        {
            builder.Append('\n').Append(' ', n * depth);
        }

        builder.Append(close);
    }
}
