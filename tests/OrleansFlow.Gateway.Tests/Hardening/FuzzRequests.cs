using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Conformance;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>Bad requests generated from the OpenAPI schema, reproducibly from a seed: for an operation, its maximal or
/// minimal body with one to three values swapped for hostile ones (huge, negative and non-finite numbers, lone
/// surrogates, NUL, 70,000-character strings, deep nesting, long lists, wrong types, duplicate keys), or a body that is
/// not JSON at all; path parameters and query strings that are garbage.</summary>
internal sealed class FuzzRequests(OpenApiContract contract, ConformanceSeed seed, int randomSeed)
{
    private const string Placeholder = "__fuzz_";

    /// <summary>JSON texts put where a value was; each is valid JSON text except where a reader must refuse it.</summary>
    private static readonly string[] BadValues =
    [
        "null", "true", "false", "0", "-1", "-2147483649", "2147483648", "9223372036854775808", "99999999999999999999999999999",
        "1e400", "-1e400", "1e15", "-1e12", "1e-9", "0.5", "-0.0", "\"\"", "\" \"", "\"\\ud800\"", "\"a\\udfffb\"", "\"\\u0000\"",
        "\"x\\u0000y\"", "\"not-a-uuid\"", "\"00000000-0000-0000-0000-000000000000\"", "\"2026-13-45T99:99:99\"",
        "\"10675199.02:48:05.4775807\"", "\"P99999Y\"", "\"-1\"", "\"1e400\"", "\"NaN\"", "\"Infinity\"", "[]", "{}",
        "[null]", "[\"\\ud800\"]", "{\"\\ud800\": 1}", "{\"a\": 1, \"a\": 2}", "\"' OR 1=1 --\"", "\"%s%n%x\"",
        "\"<script>alert(1)</script>\"", "\"../../etc/passwd\"", "{\"$ref\": {\"block_document_id\": \"nope\"}}",
        "{\"any_\": [1, 2]}", "{\"operator\": \"xor_\"}", "\"COMPLETED\"", "\"completed\"", "\"\\u202e\"",
    ];

    private static readonly string[] BadSegments =
    [
        "not-a-uuid", "00000000-0000-0000-0000-000000000000", "-1", "99999999999999999999", "%00", "%ED%A0%80", "%FF%FE", "..",
        "a%2Fb", "%20", "%27%20OR%201%3D1", new string('z', 5000), "1e400", "%E2%80%AE", "null",
    ];

    private static readonly string[] BadQueries =
    [
        "limit=-5", "limit=1e400", "limit=abc", "offset=-1", "offset=99999999999999999999", "include_secrets=maybe",
        "page=99999999999", "sort=BOGUS", "flow_run_id=nope", "task_run_id=%ED%A0%80", "limit=", "%ZZ=1", "x=%00",
    ];

    private static readonly string[] BadBodies =
    [
        "", "{", "}", "[", "{\"a\":", "null", "[]", "\"str\"", "123", "1e400", "true", "{\"a\":1}{\"b\":2}", "{'single': 'quotes'}",
        "{\"a\": NaN}", "{\"a\": Infinity}", "{\"a\": 01}", "{\"a\": 1,}", "\uFEFF{}", "{\"\\ud800\": \"\\udc00\\ud800\"}",
    ];

    private readonly List<OpenApiContract.Operation> _operations = [.. contract.Operations()
        .Where(o => !o.Path.StartsWith("/admin/database", StringComparison.Ordinal))];

    private readonly Random _random = new(randomSeed);

    /// <summary>The number of operations the requests are drawn from.</summary>
    public int OperationCount => _operations.Count;

    /// <summary>The next bad request: operation <paramref name="index"/> modulo the count, so every operation gets its
    /// share.</summary>
    public FuzzRequest Next(int index)
    {
        var operation = _operations[index % _operations.Count];
        var path = seed.Path(operation.Path);

        // A DELETE keeps a valid path only by accident: deleting the seeded things would turn later requests into 404s.
        var mangledPath = operation.Method == "DELETE" || _random.Next(4) == 0;
        if (mangledPath && operation.Path.Contains('{', StringComparison.Ordinal))
        {
            path = string.Join('/', operation.Path.Trim('/').Split('/')
                .Select(s => s.StartsWith('{') ? Pick(BadSegments) : s)) + (operation.Path.EndsWith('/') ? "/" : "");
        }

        if (_random.Next(5) == 0)
        {
            path += "?" + string.Join('&', Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => Pick(BadQueries)));
        }

        if (operation.Method is "GET" or "DELETE" && operation.BodySchema is null)
        {
            return new FuzzRequest(operation.Method, path, null, null);
        }

        var roll = _random.Next(10);
        if (roll == 0)
        {
            return new FuzzRequest(operation.Method, path, Pick(BadBodies), null);
        }

        if (roll == 1)
        {
            // Not UTF-8 at all.
            return new FuzzRequest(operation.Method, path, null, [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0x22, 0x7D]);
        }

        return new FuzzRequest(operation.Method, path, MutatedBody(operation), null);
    }

    private string MutatedBody(OpenApiContract.Operation operation)
    {
        var body = operation.BodySchema is { } schema ? contract.Body(schema, maximal: _random.Next(2) == 0, seed.Value) : null;
        if (body is JsonArray list && operation.BodySchema is { } arraySchema && contract.Resolve(arraySchema)["items"] is { } items)
        {
            list.Add(contract.Body(items, maximal: true, seed.Value));
        }

        body ??= new JsonObject();
        var slots = new List<(JsonNode Parent, string? Name, int Index)>();
        Collect(body, slots, 0);
        var replacements = new List<string>();
        var mutations = 1 + _random.Next(3);
        for (var i = 0; i < mutations; i++)
        {
            var marker = Placeholder + i.ToString(CultureInfo.InvariantCulture) + "__";
            var text = BadValue();
            if (slots.Count == 0 || _random.Next(6) == 0)
            {
                if (body is JsonObject top)
                {
                    top[_random.Next(2) == 0 ? "unknown_" + i.ToString(CultureInfo.InvariantCulture) : "name"] = marker;
                    replacements.Add(text);
                }

                continue;
            }

            var (parent, name, index) = slots[_random.Next(slots.Count)];
            if (parent is JsonObject obj && name is not null)
            {
                if (_random.Next(8) == 0)
                {
                    obj.Remove(name);
                    continue;
                }

                obj[name] = marker;
            }
            else if (parent is JsonArray array && index < array.Count)
            {
                array[index] = marker;
            }
            else
            {
                continue;
            }

            replacements.Add(text);
        }

        var json = body.ToJsonString();
        for (var i = 0; i < replacements.Count; i++)
        {
            json = json.Replace($"\"{Placeholder}{i.ToString(CultureInfo.InvariantCulture)}__\"", replacements[i], StringComparison.Ordinal);
        }

        return json;
    }

    private string BadValue() => _random.Next(12) switch
    {
        0 => "\"" + new string('y', 70_000) + "\"",
        1 => new string('[', 300) + new string(']', 300),
        2 => "[" + string.Join(',', Enumerable.Range(0, 3_000)) + "]",
        3 => "[" + string.Join(',', Enumerable.Range(0, 1_500).Select(i => $"\"tag-{i}\"")) + "]",
        _ => Pick(BadValues),
    };

    private static void Collect(JsonNode node, List<(JsonNode, string?, int)> slots, int depth)
    {
        if (depth > 6)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    slots.Add((obj, name, -1));
                    if (child is not null)
                    {
                        Collect(child, slots, depth + 1);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, null, i));
                    if (array[i] is { } child)
                    {
                        Collect(child, slots, depth + 1);
                    }
                }

                break;
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}

/// <summary>One generated request: a JSON text body, raw bytes, or none.</summary>
internal sealed record FuzzRequest(string Method, string Path, string? Body, byte[]? Bytes)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), "api/" + Path);
        if (Body is not null)
        {
            message.Content = new StringContent(Body, Encoding.UTF8, "application/json");
        }
        else if (Bytes is not null)
        {
            message.Content = new ByteArrayContent(Bytes) { Headers = { ContentType = new("application/json") } };
        }

        return message;
    }

    public override string ToString() =>
        $"{Method} /api/{Path} {(Body is null ? Bytes is null ? "" : "<invalid UTF-8>" : Body.Length > 400 ? Body[..400] + $"... ({Body.Length} chars)" : Body)}";
}
