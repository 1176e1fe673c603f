using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Gateway.Tests.Infrastructure;

/// <summary>A live answer: status, raw text and parsed JSON.</summary>
internal sealed record ApiResponse(string Request, HttpStatusCode Status, string Text, string ContentType = "")
{
    public int Code => (int)Status;

    public JsonNode? Body { get; } = Parse(Text);

    public JsonObject Object => Body as JsonObject ?? throw new Xunit.Sdk.XunitException($"{Request}: expected a JSON object, got {Code} {Text}");

    public JsonArray Array => Body as JsonArray ?? throw new Xunit.Sdk.XunitException($"{Request}: expected a JSON list, got {Code} {Text}");

    public Guid Id => Guid.Parse(Object["id"]!.GetValue<string>());

    /// <summary>The <c>loc</c> of each entry of a 422's <c>exception_detail</c>, e.g. <c>body.state.type</c>.</summary>
    public IReadOnlyList<string> ErrorLocations => Body?["exception_detail"] is JsonArray details
        ? [.. details.Select(d => string.Join('.', d!["loc"]!.AsArray().Select(part => part!.ToString())))]
        : [];

    /// <summary>Fails unless the status is <paramref name="expected"/>; the message shows the request and the body.</summary>
    public ApiResponse Expect(HttpStatusCode expected)
    {
        if (Status != expected)
        {
            throw new Xunit.Sdk.XunitException($"{Request}: expected {(int)expected} {expected}, got {Code} {Status}: {Truncate(Text)}");
        }

        return this;
    }

    public override string ToString() => $"{Request} -> {Code} {Truncate(Text)}";

    private static string Truncate(string text) => text.Length > 600 ? text[..600] + "…" : text;

    private static JsonNode? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
