using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Gateway.Tests.Contract;

/// <summary>Compares a live answer with the recorded one: same status; for orchestration results the same decision,
/// state and reason; for runs the same state and run count; every recorded field present (recursively); lists of the
/// same length. Ids and times differ by nature and are not compared.</summary>
internal static class ContractCheck
{
    private static readonly string[] OrchestrationFields = ["status", "state.type", "state.name", "details.type", "details.reason"];

    private static readonly string[] RunFields = ["state_type", "state_name", "run_count"];

    /// <summary>The differences; empty when the live answer keeps the contract.</summary>
    public static List<string> Compare(RecordedExchange recorded, int liveStatus, JsonNode? live)
    {
        var problems = new List<string>();
        if (liveStatus != recorded.Status)
        {
            problems.Add($"status: expected {recorded.Status}, got {liveStatus}");
        }

        var expected = recorded.Response;
        if (expected is JsonObject expectedObject && live is JsonObject liveObject)
        {
            var fields = recorded.IsSetState && expectedObject.ContainsKey("details") ? OrchestrationFields
                : expectedObject.ContainsKey("state_type") && expectedObject.ContainsKey("run_count") ? RunFields
                : [];
            foreach (var field in fields)
            {
                var want = Scalar(expectedObject, field);
                var got = Scalar(liveObject, field);
                if (want != got)
                {
                    problems.Add($"{field}: expected {want ?? "null"}, got {got ?? "null"}");
                }
            }
        }

        Shape(expected, live, "$", problems);
        return problems;
    }

    /// <summary>Every field of <paramref name="expected"/> is in <paramref name="live"/>, objects stay objects, lists keep
    /// their length; top-level scalars (health, version) are equal.</summary>
    private static void Shape(JsonNode? expected, JsonNode? live, string path, List<string> problems)
    {
        switch (expected)
        {
            case JsonObject expectedObject:
                if (live is not JsonObject liveObject)
                {
                    problems.Add($"{path}: expected an object, got {Describe(live)}");
                    return;
                }

                foreach (var (name, value) in expectedObject)
                {
                    if (!liveObject.TryGetPropertyValue(name, out var liveValue))
                    {
                        problems.Add($"{path}.{name}: missing");
                        continue;
                    }

                    Shape(value, liveValue, $"{path}.{name}", problems);
                }

                return;
            case JsonArray expectedArray:
                if (live is not JsonArray liveArray)
                {
                    problems.Add($"{path}: expected a list, got {Describe(live)}");
                    return;
                }

                if (liveArray.Count != expectedArray.Count)
                {
                    problems.Add($"{path}: expected {expectedArray.Count} items, got {liveArray.Count}");
                    return;
                }

                for (var i = 0; i < expectedArray.Count; i++)
                {
                    Shape(expectedArray[i], liveArray[i], $"{path}[{i}]", problems);
                }

                return;
            case JsonValue expectedValue when path == "$":
                if (live is not JsonValue liveScalar || !JsonNode.DeepEquals(expectedValue, liveScalar))
                {
                    problems.Add($"$: expected {expectedValue.ToJsonString()}, got {Describe(live)}");
                }

                return;
        }
    }

    private static string? Scalar(JsonObject obj, string dottedPath)
    {
        JsonNode? node = obj;
        foreach (var part in dottedPath.Split('.'))
        {
            node = node is JsonObject current && current.TryGetPropertyValue(part, out var next) ? next : null;
        }

        return node is JsonValue value ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString() : null;
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : Truncate(node.ToJsonString(), 200);

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
