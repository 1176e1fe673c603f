using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFlow.Grains.Json;

/// <summary>The JSON conventions of the Prefect 2 wire format, shared by the API, the storage and the clients:
/// snake_case names, upper-case enums, UTC microsecond times, nulls written.</summary>
public static class OrleansFlowJson
{
    /// <summary>Options for the Prefect wire format. Frozen: do not modify.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies the wire conventions to <paramref name="options"/> (used by ASP.NET's own options instance).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
        options.Converters.Add(new UtcDateTimeOffsetConverter());
        // What is written nests what was read: a request may be MaxReadDepth deep, and a stored value of that depth is
        // written again inside a list, an event's before and after, a graph. The writer allows room for that.
        options.MaxDepth = MaxWriteDepth;
    }

    /// <summary>How deep a request body may nest (System.Text.Json's default): the API refuses a deeper one with a 422.</summary>
    public const int MaxReadDepth = 64;

    /// <summary>How deep JSON may nest when written or read back from storage: well past <see cref="MaxReadDepth"/>, so a
    /// value the API accepted can always be listed, wrapped and stored again.</summary>
    public const int MaxWriteDepth = 256;

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
