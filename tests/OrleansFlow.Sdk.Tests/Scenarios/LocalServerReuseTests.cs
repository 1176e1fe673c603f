using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Hosting;
using OrleansFlow.Testing;

namespace OrleansFlow.Sdk.Tests.Scenarios;

/// <summary>An ephemeral flow program on the SQLite file that `orleansflow server start` already serves uses that server
/// instead of hosting a second silo on the file.</summary>
public sealed class LocalServerReuseTests
{
    [Fact]
    public async Task EphemeralProgram_OnTheFileARunningServerServes_RunsItsFlowThroughThatServer()
    {
        using var folder = new SqliteFiles();
        var database = folder.NewPath("shared");
        await using var server = await ServerProcess.StartAsync(SqliteFiles.Url(database));
        Assert.True(File.Exists(LocalServerFile.PathFor(database)), "the server advertises itself beside its database");

        var marker = Path.Combine(folder.Folder, "marker.txt");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CrashProgramPath());
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ORLEANSFLOW_", StringComparison.Ordinal) || k.StartsWith("PREFECT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ORLEANSFLOW_DATABASE_URL"] = SqliteFiles.Url(database);
        start.Environment["CRASH_MARKER"] = marker;
        var errors = new StringBuilder();
        using var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // The marker may be read while it is being written, and stderr arrives through its own reader: wait for a whole
            // run id in the marker and for the line on stderr.
            var id = Guid.Empty;
            var announced = $"OrleansFlow: using the server running on this database at {server.ApiUrl}";
            await Poll.UntilAsync(() =>
            {
                var text = File.Exists(marker) ? File.ReadAllText(marker) : "";
                if (!text.StartsWith("running ", StringComparison.Ordinal) || !Guid.TryParse(text.Split('\n')[0]["running ".Length..], out id))
                {
                    return false;
                }

                lock (errors)
                {
                    return errors.ToString().Contains(announced, StringComparison.Ordinal);
                }
            }, TimeSpan.FromSeconds(60), "the flow to start and the program to say which server it uses");

            // The server itself holds the program's run (it is RUNNING in its grain, not only in the shared file).
            using var client = server.CreateClient();
            var run = await client.GetFromJsonAsync<JsonObject>($"flow_runs/{id}");
            Assert.Equal("RUNNING", run!["state"]!["type"]!.GetValue<string>());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Find_NoFileOrAStaleOneOrAServerThatDoesNotAnswer_FindsNothing()
    {
        using var folder = new SqliteFiles();
        var database = folder.NewPath("alone");
        Assert.Null(await LocalServerFile.FindAsync(database, haveApiKey: false));

        // This process is alive, but nothing answers at the advertised address.
        using (LocalServerFile.Publish(database, new Uri($"http://127.0.0.1:{FreePort.Next()}/api"), requiresApiKey: false))
        {
            Assert.Null(await LocalServerFile.FindAsync(database, haveApiKey: false));
        }

        Assert.False(File.Exists(LocalServerFile.PathFor(database)), "disposing the publication removes the file");

        // A file left by a process that is gone.
        File.WriteAllText(LocalServerFile.PathFor(database), """{"pid": 2147483646, "api_url": "http://127.0.0.1:1/api", "requires_api_key": false}""");
        Assert.Null(await LocalServerFile.FindAsync(database, haveApiKey: false));

        // A live server that requires a key is not used by a program that has none.
        var keyed = folder.NewPath("keyed");
        await using var server = await InProcessServer.StartAsync(folder.Options(keyed));
        using (LocalServerFile.Publish(keyed, new Uri(server.BaseAddress, "api"), requiresApiKey: true))
        {
            Assert.Null(await LocalServerFile.FindAsync(keyed, haveApiKey: false));
            Assert.Equal(new Uri(server.BaseAddress, "api"), await LocalServerFile.FindAsync(keyed, haveApiKey: true));
        }
    }

    private static string CrashProgramPath() => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "CrashProgram", "bin",
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name, "net10.0", "CrashProgram.dll");
}
