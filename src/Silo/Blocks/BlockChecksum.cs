using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OrleansFlow.Silo.Blocks;

/// <summary>Computes a block schema's checksum exactly as the Prefect client does, so that the client finds the schemas
/// it registered by the checksum it computes itself: <c>sha256</c> of Python's <c>json.dumps(([fields], {}),
/// sort_keys=True)</c>, after removing every <c>secret_fields</c> key and the definitions of nested blocks.</summary>
public static class BlockChecksum
{
    /// <summary>The checksum of <paramref name="fields"/>, e.g. <c>sha256:6db1ab24...</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="fields"/> is not a JSON object.</exception>
    public static string Compute(JsonElement fields)
    {
        if (fields.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("Block schema fields must be a JSON object.", nameof(fields));
        }

        var builder = new StringBuilder("[[");
        WriteFields(builder, fields);
        builder.Append("], {}]");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
        return "sha256:" + Convert.ToHexStringLower(hash);
    }

    /// <summary>The top level: like <see cref="Write"/>, but <c>definitions</c> keeps only the non-block definitions
    /// reachable from a <c>$ref</c>, and is dropped when none are left.</summary>
    private static void WriteFields(StringBuilder builder, JsonElement fields)
    {
        Dictionary<string, JsonElement>? definitions = null;
        if (fields.TryGetProperty("definitions", out var all) && all.ValueKind == JsonValueKind.Object && all.EnumerateObject().Any())
        {
            definitions = [];
            CollectNonBlockDefinitions(fields, all, definitions, []);
        }

        var properties = fields.EnumerateObject()
            .Where(p => p.Name != "secret_fields" && (p.Name != "definitions" || definitions is null || definitions.Count > 0))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        builder.Append('{');
        for (var i = 0; i < properties.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            WriteString(builder, properties[i].Name);
            builder.Append(": ");
            if (properties[i].Name == "definitions" && definitions is not null)
            {
                WriteObject(builder, definitions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => (d.Key, d.Value)).ToList());
            }
            else
            {
                Write(builder, properties[i].Value);
            }
        }

        builder.Append('}');
    }

    private static void CollectNonBlockDefinitions(JsonElement node, JsonElement definitions, Dictionary<string, JsonElement> found, HashSet<string> visiting)
    {
        foreach (var reference in References(node))
        {
            var key = reference.Replace("#/definitions/", "", StringComparison.Ordinal);
            if (definitions.TryGetProperty(key, out var definition) && definition.ValueKind == JsonValueKind.Object
                && (!definition.TryGetProperty("block_type_slug", out var slug) || slug.ValueKind == JsonValueKind.Null)
                && visiting.Add(key))
            {
                found[key] = definition;
                CollectNonBlockDefinitions(definition, definitions, found, visiting);
            }
        }
    }

    private static IEnumerable<string> References(JsonElement node)
    {
        if (node.ValueKind == JsonValueKind.Object)
        {
            if (node.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
            {
                yield return reference.GetString()!;
            }

            foreach (var property in node.EnumerateObject())
            {
                foreach (var inner in References(property.Value))
                {
                    yield return inner;
                }
            }
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in node.EnumerateArray())
            {
                foreach (var inner in References(item))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Writes a value as <c>json.dumps(..., sort_keys=True)</c> would, dropping <c>secret_fields</c> keys at
    /// every depth (Prefect's <c>remove_nested_keys</c>).</summary>
    private static void Write(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(builder, [.. value.EnumerateObject()
                    .Where(p => p.Name != "secret_fields")
                    .OrderBy(p => p.Name, StringComparer.Ordinal)
                    .Select(p => (p.Name, p.Value))]);
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, value.GetString()!);
                break;
            case JsonValueKind.Number:
                builder.Append(PythonNumber(value.GetRawText()));
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static void WriteObject(StringBuilder builder, List<(string Name, JsonElement Value)> properties)
    {
        builder.Append('{');
        for (var i = 0; i < properties.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            WriteString(builder, properties[i].Name);
            builder.Append(": ");
            Write(builder, properties[i].Value);
        }

        builder.Append('}');
    }

    /// <summary>Python's <c>ensure_ascii</c> string escaping: everything outside space..tilde becomes an escape.</summary>
    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>A JSON number as Python prints it after parsing: integers unchanged, floats in <c>repr</c> form
    /// (<c>1.0</c>, <c>1e+16</c>, <c>1.5e-05</c>).</summary>
    private static string PythonNumber(string raw)
    {
        if (raw.IndexOfAny(['.', 'e', 'E']) < 0)
        {
            return System.Numerics.BigInteger.Parse(raw, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        var value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        // "R" is the shortest round-trip form, whose digits Python's repr also uses; only the layout differs.
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = roundTrip.StartsWith('-');
        var unsigned = negative ? roundTrip[1..] : roundTrip;
        var exponentAt = unsigned.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? unsigned : unsigned[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(unsigned[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var intDigits = point < 0 ? mantissa.Length : point;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        if (digits.Length == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        // Scientific exponent of the first significant digit.
        var decimalExponent = intDigits - leadingZeros - 1 + exponent;
        string text;
        if (decimalExponent is >= -4 and < 16)
        {
            if (decimalExponent >= 0)
            {
                var whole = digits.Length > decimalExponent + 1 ? digits[..(decimalExponent + 1)] : digits.PadRight(decimalExponent + 1, '0');
                var fraction = digits.Length > decimalExponent + 1 ? digits[(decimalExponent + 1)..] : "0";
                text = whole + "." + fraction;
            }
            else
            {
                text = "0." + new string('0', -decimalExponent - 1) + digits;
            }
        }
        else
        {
            text = digits[..1] + (digits.Length > 1 ? "." + digits[1..] : "") + "e" + (decimalExponent < 0 ? "-" : "+")
                + Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture);
        }

        return negative ? "-" + text : text;
    }
}
