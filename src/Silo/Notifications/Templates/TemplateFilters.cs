using System.Globalization;
using System.Net;
using System.Text;
using static OrleansFlow.Silo.Notifications.Templates.TemplateValues;

namespace OrleansFlow.Silo.Notifications.Templates;

/// <summary>The filters and tests templates may use, with Jinja's names, arguments and behaviour.</summary>
internal static class TemplateFilters
{
    private delegate object? Filter(object? value, Arguments args);

    private static readonly Dictionary<string, Filter> Filters = new(StringComparer.Ordinal)
    {
        ["default"] = Default,
        ["d"] = Default,
        ["upper"] = (v, _) => Text(v).ToUpperInvariant(),
        ["lower"] = (v, _) => Text(v).ToLowerInvariant(),
        ["title"] = (v, _) => Title(Text(v)),
        ["capitalize"] = (v, _) => Text(v) is { Length: > 0 } s ? char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant() : "",
        ["trim"] = (v, a) => a.Get(0, "chars") is string chars ? Text(v).Trim(chars.ToCharArray()) : Text(v).Trim(),
        ["length"] = (v, _) => (long)Length(v),
        ["count"] = (v, _) => (long)Length(v),
        ["join"] = (v, a) => string.Join(Text(a.Get(0, "d") ?? ""), Iterate(v).Select(i => Str(a.Get(1, "attribute") is string attr ? Attribute(i, attr) : i))),
        ["replace"] = Replace,
        ["truncate"] = Truncate,
        ["tojson"] = (v, a) => ToJson(v, a.Get(0, "indent") is long n ? (int)Math.Clamp(n, 0, 16) : null),
        ["string"] = (v, _) => Str(v),
        ["int"] = ToInt,
        ["float"] = ToFloat,
        ["abs"] = (v, _) => v switch { long n => (object)Math.Abs(n), double d => Math.Abs(d), _ => throw new InvalidOperationException($"bad operand type for abs(): '{TypeName(v)}'") },
        ["first"] = (v, _) => Iterate(v).Take(1).DefaultIfEmpty(Undefined.Instance).First(),
        ["last"] = (v, _) => Iterate(v).DefaultIfEmpty(Undefined.Instance).Last(),
        ["round"] = Round,
        ["list"] = (v, _) => Iterate(v).ToList(),
        ["reverse"] = (v, _) => v is string s ? new string([.. s.Reverse()]) : Iterate(v).Reverse().ToList(),
        ["sort"] = (v, a) =>
        {
            var items = Iterate(v).ToList();
            items.Sort(Compare);
            if (Truthy(a.Get(0, "reverse")))
            {
                items.Reverse();
            }

            return items;
        },
        ["unique"] = (v, _) => Iterate(v).Aggregate(new List<object?>(), (seen, i) =>
        {
            if (!seen.Any(s => Equal(s, i)))
            {
                seen.Add(i);
            }

            return seen;
        }),
        ["min"] = (v, _) => Iterate(v).DefaultIfEmpty(Undefined.Instance).Aggregate((x, y) => Compare(y, x) < 0 ? y : x),
        ["max"] = (v, _) => Iterate(v).DefaultIfEmpty(Undefined.Instance).Aggregate((x, y) => Compare(y, x) > 0 ? y : x),
        ["sum"] = (v, _) => Iterate(v).Aggregate((object?)0L, (x, y) => TemplateEvaluator.Arithmetic("+", x, y, int.MaxValue)),
        ["items"] = (v, _) => Pairs(v).Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList(),
        ["dictsort"] = (v, _) => Pairs(v).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList(),
        ["wordcount"] = (v, _) => (long)Text(v).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length,
        ["urlencode"] = (v, _) => IsMapping(v)
            ? string.Join("&", Pairs(v).Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(Str(p.Value))))
            : Uri.EscapeDataString(Text(v)).Replace("%2F", "/", StringComparison.Ordinal),
        ["escape"] = (v, _) => WebUtility.HtmlEncode(Text(v)),
        ["e"] = (v, _) => WebUtility.HtmlEncode(Text(v)),
        ["safe"] = (v, _) => v,
    };

    private static readonly Dictionary<string, Func<object?, IReadOnlyList<object?>, bool>> Tests = new(StringComparer.Ordinal)
    {
        ["defined"] = (v, _) => v is not Undefined,
        ["undefined"] = (v, _) => v is Undefined,
        ["none"] = (v, _) => v is null,
        ["true"] = (v, _) => v is true,
        ["false"] = (v, _) => v is false,
        ["string"] = (v, _) => v is string,
        ["number"] = (v, _) => IsNumber(v),
        ["integer"] = (v, _) => v is long,
        ["float"] = (v, _) => v is double,
        ["mapping"] = (v, _) => IsMapping(v),
        ["sequence"] = (v, _) => IsSequence(v) || IsMapping(v) || v is string,
        ["iterable"] = (v, _) => IsSequence(v) || IsMapping(v) || v is string,
        ["even"] = (v, _) => v is long n && n % 2 == 0,
        ["odd"] = (v, _) => v is long n && n % 2 != 0,
        ["eq"] = (v, a) => a.Count > 0 && Equal(v, a[0]),
        ["equalto"] = (v, a) => a.Count > 0 && Equal(v, a[0]),
        ["ne"] = (v, a) => a.Count > 0 && !Equal(v, a[0]),
        ["in"] = (v, a) => a.Count > 0 && TemplateEvaluator.Contains(a[0], v),
        ["lower"] = (v, _) => v is string s && s == s.ToLowerInvariant(),
        ["upper"] = (v, _) => v is string s && s == s.ToUpperInvariant(),
    };

    public static IEnumerable<string> FilterNames => Filters.Keys;

    public static bool Exists(string name) => Filters.ContainsKey(name);

    public static bool TestExists(string name) => Tests.ContainsKey(name);

    public static object? Apply(string name, object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs) =>
        Filters[name](value, new Arguments(args, kwargs));

    public static bool Test(string name, object? value, IReadOnlyList<object?> args) => Tests[name](value, args);

    private static string Text(object? value) => Str(value);

    private static object? Default(object? value, Arguments args) =>
        value is Undefined || (Truthy(args.Get(1, "boolean")) && !Truthy(value)) ? args.Get(0, "default_value") ?? "" : value;

    private static object? Replace(object? value, Arguments args)
    {
        var old = Str(args.Get(0, "old"));
        var replacement = Str(args.Get(1, "new"));
        var text = Text(value);
        if (args.Get(2, "count") is not long count)
        {
            return old.Length == 0 ? text : text.Replace(old, replacement, StringComparison.Ordinal);
        }

        var builder = new StringBuilder();
        var at = 0;
        for (var n = 0; n < count && old.Length > 0; n++)
        {
            var found = text.IndexOf(old, at, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            builder.Append(text, at, found - at).Append(replacement);
            at = found + old.Length;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>Jinja's <c>truncate(length=255, killwords=False, end='...', leeway=5)</c>: a text no longer than
    /// length + leeway is kept; otherwise it is cut to length - len(end) (at the last word boundary unless killwords)
    /// and end is appended.</summary>
    private static object? Truncate(object? value, Arguments args)
    {
        var text = Text(value);
        var length = args.Get(0, "length") is long n ? (int)Math.Clamp(n, 0, int.MaxValue) : 255;
        var killWords = Truthy(args.Get(1, "killwords"));
        var end = args.Get(2, "end") is string e ? e : "...";
        var leeway = args.Get(3, "leeway") is long l ? (int)Math.Clamp(l, 0, int.MaxValue) : 5;
        if (length < end.Length)
        {
            throw new InvalidOperationException($"truncate: length ({length}) is shorter than end ('{end}')");
        }

        if (text.Length <= length + leeway)
        {
            return text;
        }

        var cut = text[..(length - end.Length)];
        if (!killWords)
        {
            var space = cut.LastIndexOf(' ');
            if (space >= 0)
            {
                cut = cut[..space];
            }
        }

        return cut + end;
    }

    private static object? ToInt(object? value, Arguments args)
    {
        var fallback = args.Get(0, "default") ?? 0L;
        return value switch
        {
            long n => n,
            double d when !double.IsNaN(d) && !double.IsInfinity(d) => (long)Math.Truncate(d),
            bool b => b ? 1L : 0L,
            string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsInfinity(d) && !double.IsNaN(d) => (long)Math.Truncate(d),
            _ => fallback,
        };
    }

    private static object? ToFloat(object? value, Arguments args)
    {
        var fallback = args.Get(0, "default") ?? 0.0;
        return value switch
        {
            long n => (double)n,
            double d => d,
            bool b => b ? 1.0 : 0.0,
            string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => fallback,
        };
    }

    private static object? Round(object? value, Arguments args)
    {
        var number = Numeric(value) ?? throw new InvalidOperationException($"round: '{TypeName(value)}' is not a number");
        var precision = args.Get(0, "precision") is long p ? (int)Math.Clamp(p, 0, 15) : 0;
        var factor = Math.Pow(10, precision);
        return (args.Get(1, "method") as string) switch
        {
            "floor" => Math.Floor(number * factor) / factor,
            "ceil" => Math.Ceiling(number * factor) / factor,
            _ => Math.Round(number, precision, MidpointRounding.AwayFromZero),
        };
    }

    private static string Title(string text)
    {
        var builder = new StringBuilder(text.Length);
        var start = true;
        foreach (var c in text)
        {
            builder.Append(start ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            start = !char.IsLetterOrDigit(c);
        }

        return builder.ToString();
    }

    /// <summary>A filter's arguments: by position, or by keyword.</summary>
    private sealed class Arguments(IReadOnlyList<object?> positional, IReadOnlyDictionary<string, object?> named)
    {
        public object? Get(int index, string name) =>
            index < positional.Count ? positional[index] : named.TryGetValue(name, out var value) ? value : null;
    }
}
