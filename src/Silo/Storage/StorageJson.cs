using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansFlow.Grains.Json;

namespace OrleansFlow.Silo.Storage;

/// <summary>The JSON of stored records: the wire conventions without null members (a third smaller; reading a missing
/// member gives the same null), which matters because every transition rewrites its run's row.</summary>
internal static class StorageJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        OrleansFlowJson.Configure(options);
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
