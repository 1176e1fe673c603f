using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Gateway.Hosting;

/// <summary>How a program finds the server already running on a SQLite file: <c>orleansflow server start</c> writes
/// <c>&lt;database&gt;.server.json</c> (its process id and API URL, readable by the owner only) beside the database while
/// it runs, and the SDK's ephemeral mode reads it before starting a silo of its own. A program on the same file then
/// talks to that server instead of hosting a second silo on the file.</summary>
public static class LocalServerFile
{
    // Long enough for a server on a busy machine to answer; a dead address (connection refused) fails at once.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The path of the file advertising the server of the SQLite database at <paramref name="sqlitePath"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="sqlitePath"/> is empty.</exception>
    public static string PathFor(string sqlitePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(sqlitePath);
        return Path.GetFullPath(sqlitePath) + ".server.json";
    }

    /// <summary>Advertises that this process serves the database at <paramref name="sqlitePath"/> at
    /// <paramref name="apiUrl"/>. Disposing the result removes the file (if it is still this process's).</summary>
    /// <param name="sqlitePath">The SQLite database file.</param>
    /// <param name="apiUrl">The API root, e.g. <c>http://127.0.0.1:4200/api</c>.</param>
    /// <param name="requiresApiKey">Whether the server answers only requests with an API key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="apiUrl"/> is null.</exception>
    public static IDisposable Publish(string sqlitePath, Uri apiUrl, bool requiresApiKey)
    {
        ArgumentNullException.ThrowIfNull(apiUrl);
        var path = PathFor(sqlitePath);
        var entry = new Entry(Environment.ProcessId, apiUrl.ToString().TrimEnd('/'), requiresApiKey);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.Delete(temporary);
        PrivateFiles.WriteNew(temporary, JsonSerializer.Serialize(entry, LocalServerJson.Default.Entry));
        File.Move(temporary, path, overwrite: true);
        return new Publication(path);
    }

    /// <summary>The API root of a live server advertised for the database at <paramref name="sqlitePath"/>: its process
    /// runs and it answers <c>/health</c>. Null when there is none (or it requires an API key and
    /// <paramref name="haveApiKey"/> is false).</summary>
    /// <param name="sqlitePath">The SQLite database file.</param>
    /// <param name="haveApiKey">Whether the caller has an API key to send.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    public static async Task<Uri?> FindAsync(string sqlitePath, bool haveApiKey, CancellationToken cancellationToken = default)
    {
        if (Read(PathFor(sqlitePath)) is not { } entry || !IsRunning(entry.ProcessId)
            || (entry.RequiresApiKey && !haveApiKey) || !Uri.TryCreate(entry.ApiUrl, UriKind.Absolute, out var apiUrl))
        {
            return null;
        }

        using var http = new HttpClient { Timeout = ProbeTimeout };
        try
        {
            using var response = await http.GetAsync(new Uri(entry.ApiUrl + "/health"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? apiUrl : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static Entry? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), LocalServerJson.Default.Entry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    internal sealed record Entry(
        [property: JsonPropertyName("pid")] int ProcessId,
        [property: JsonPropertyName("api_url")] string ApiUrl,
        [property: JsonPropertyName("requires_api_key")] bool RequiresApiKey);

    private sealed class Publication(string path) : IDisposable
    {
        public void Dispose()
        {
            if (Read(path) is { } entry && entry.ProcessId == Environment.ProcessId)
            {
                File.Delete(path);
            }
        }
    }
}

[JsonSerializable(typeof(LocalServerFile.Entry))]
internal sealed partial class LocalServerJson : JsonSerializerContext;
