using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Results;

/// <summary>Persists run results as JSON files in a local folder (default <c>~/.orleansflow/storage</c>, or
/// <c>$ORLEANSFLOW_HOME/storage</c>) and builds the state <c>data</c> that refers to them, as Prefect's
/// <c>LocalFileSystem</c> result storage does (<c>"type": "reference"</c>, <c>storage_key</c>). Unpersisted results get
/// Prefect's <c>"type": "unpersisted"</c> data.</summary>
internal static class ResultStore
{
    /// <summary>The serializer options for user values: results and parameters (System.Text.Json web defaults).</summary>
    public static JsonSerializerOptions ValueOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The folder results are written to.</summary>
    public static string Folder => Path.Combine(HomeFolder(), "storage");

    /// <summary>The data of a state whose result is not persisted.</summary>
    public static JsonElement Unpersisted(Type? type)
    {
        // Written by hand, not serialized by reflection: this is on every run's way to its final state, also in a fresh
        // worker process, which would pay the serializer's warm-up for it.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "unpersisted");
            writer.WriteString("artifact_type", "result");
            writer.WriteString("artifact_description", $"Unpersisted result of type `{TypeName(type)}`");
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Writes <paramref name="value"/> and returns the data of a state that refers to it.</summary>
    public static async Task<JsonElement> PersistAsync(object? value, Type type, CancellationToken cancellationToken = default)
    {
        var folder = Folder;
        Directory.CreateDirectory(folder);
        var key = Guid.NewGuid().ToString("N");
        var path = Path.Combine(folder, key);
        var json = JsonSerializer.SerializeToUtf8Bytes(value, type, ValueOptions);
        await File.WriteAllBytesAsync(path, json, cancellationToken).ConfigureAwait(false);
        return ToElement(new JsonObject
        {
            ["type"] = "reference",
            ["artifact_type"] = "result",
            ["artifact_description"] = $"Result of type `{TypeName(type)}` persisted to: `{path}`",
            ["serializer_type"] = "json",
            ["storage_block_id"] = null,
            ["storage_key"] = path,
        });
    }

    /// <summary>Reads the value a state's data refers to.</summary>
    /// <exception cref="InvalidOperationException">The data is not a reference, its file is outside the storage folder, or
    /// it is gone.</exception>
    public static async Task<T> LoadAsync<T>(JsonElement? data, CancellationToken cancellationToken = default)
    {
        if (data is not { ValueKind: JsonValueKind.Object } d || !d.TryGetProperty("storage_key", out var keyElement)
            || keyElement.GetString() is not { Length: > 0 } key)
        {
            throw new InvalidOperationException("The state has no persisted result to load (its data is not a result reference).");
        }

        // The key comes from the server: only a file inside this storage folder is read, never one a key names
        // elsewhere (an absolute path, or ../ out of the folder).
        var folder = Path.GetFullPath(Folder);
        var path = Path.GetFullPath(Path.IsPathRooted(key) ? key : Path.Combine(folder, key));
        if (!path.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The result reference '{key}' is outside the result storage folder '{folder}'; it is not read.");
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The persisted result '{path}' no longer exists.");
        }

        await using var stream = File.OpenRead(path);
        return (await JsonSerializer.DeserializeAsync<T>(stream, ValueOptions, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary><c>$ORLEANSFLOW_HOME</c>, or <c>~/.orleansflow</c>.</summary>
    public static string HomeFolder() =>
        Environment.GetEnvironmentVariable("ORLEANSFLOW_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".orleansflow");

    private static string TypeName(Type? type) => type is null || type == typeof(void) ? "NoneType" : type.Name;

    private static JsonElement ToElement(JsonObject node) => JsonSerializer.SerializeToElement(node);
}
