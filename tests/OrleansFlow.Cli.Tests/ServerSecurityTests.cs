using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrleansFlow.Testing;

namespace OrleansFlow.Cli.Tests;

/// <summary><c>orleansflow server start</c> as a real process on every interface (0.0.0.0): refused without credentials,
/// served with <c>--insecure</c>, and with <c>--api-key</c> only to callers with a key, which <c>orleansflow api-key</c>
/// then manages.</summary>
public sealed class ServerSecurityTests
{
    private const string AdminKey = "cli-admin-key-0123456789abcdef";

    [Fact]
    public async Task ServerStart_OnAllInterfacesWithoutCredentials_RefusesWithAClearMessage()
    {
        var (exitCode, text) = await RunToExitAsync(FreePort.Next(), []);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("0.0.0.0", text, StringComparison.Ordinal);
        Assert.Contains("--api-key", text, StringComparison.Ordinal);
        Assert.Contains("--insecure", text, StringComparison.Ordinal);
        Assert.DoesNotContain("OrleansFlow server on", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerStart_WithTheGlobalApiKeyBeforeTheCommand_TakesItAsTheServersKey()
    {
        // Given before "server start", --api-key is the root's option; the server checks it as its own first admin key
        // (too short here, so it refuses to start), where it used to be dropped and the server refused for want of any key.
        var (exitCode, text) = await RunToExitAsync(FreePort.Next(), [], before: ["--api-key", "too-short"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("must be 16 to 512 characters", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerStart_OnAPortInUse_SaysSoInOneLineBeforeStartingAnything()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, text) = await RunToExitAsync(port, ["--insecure"]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"orleansflow: cannot start the server: cannot listen on 0.0.0.0:{port}:", text, StringComparison.Ordinal);
        Assert.Contains("--port", text, StringComparison.Ordinal);
        Assert.DoesNotContain("OrleansFlow server on", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Orleans.Runtime", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerStart_OnAllInterfacesWithInsecure_Serves()
    {
        await using var server = await RunningAsync(["--insecure"]);
        using var http = new HttpClient { BaseAddress = server.Api };
        using var response = await http.PostAsync("flows/filter", Json("{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ServerStart_WithApiKey_ServesOnlyKeyHolders_AndApiKeyCommandsManageKeys()
    {
        await using var server = await RunningAsync(["--api-key", AdminKey]);
        using var http = new HttpClient { BaseAddress = server.Api };
        using (var anonymous = await http.PostAsync("flows/filter", Json("{}")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var apiUrl = server.Api.ToString().TrimEnd('/');
        var refused = await CliHarness.RunAgainstAsync(apiUrl, ["api-key", "ls"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("401", refused.Error, StringComparison.Ordinal);

        var created = await CliHarness.RunAgainstAsync(apiUrl, ["api-key", "create", "ci-runner", "--role", "runner", "--expires-in-days", "30", "--api-key", AdminKey]);
        Assert.True(created.ExitCode == 0, created.Error);
        var key = created.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.StartsWith("ofk_", key, StringComparison.Ordinal);
        Assert.Contains("cannot be shown again", created.Output, StringComparison.Ordinal);

        // The runner key writes flows but may not manage keys.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using (var write = await http.PostAsync("flows/", Json("""{"name": "cli-secured"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        }

        var forbidden = await CliHarness.RunAgainstAsync(apiUrl, ["api-key", "ls", "--api-key", key]);
        Assert.Contains("403", forbidden.Error, StringComparison.Ordinal);

        var listed = await CliHarness.RunAgainstAsync(apiUrl, ["api-key", "ls", "--api-key", AdminKey, "--output", "json"]);
        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);
        var row = JsonNode.Parse(listed.Output)!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "ci-runner")!;
        Assert.Equal("runner", row["role"]!.GetValue<string>());
        Assert.NotNull(row["expires"]);

        var revoked = await CliHarness.RunAgainstAsync(apiUrl, ["api-key", "revoke", row["id"]!.GetValue<string>(), "--api-key", AdminKey]);
        Assert.True(revoked.ExitCode == 0, revoked.Error);
        using var after = await http.PostAsync("flows/filter", Json("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Process Launch(string home, int port, string[] more, string[]? before = null)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = home,
        };
        foreach (var argument in new[] { ServerProcess.CliPath() }.Concat(before ?? []).Concat(["server", "start", "--host", "0.0.0.0", "--port", port.ToString(CultureInfo.InvariantCulture), "--no-dashboard"]).Concat(more))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ORLEANSFLOW_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ORLEANSFLOW_HOME"] = home;
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    /// <summary>A server process on 0.0.0.0 with <paramref name="more"/> arguments, once <c>/api/health</c> answers.</summary>
    private static async Task<Running> RunningAsync(string[] more)
    {
        var home = NewHome();
        var port = FreePort.Next();
        var process = Launch(home, port, more);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var running = new Running(process, home, new Uri($"http://127.0.0.1:{port}/api/"));
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Poll.UntilAsync(async () =>
            {
                Assert.False(process.HasExited, Text(output));
                try
                {
                    using var health = await http.GetAsync(new Uri(running.Api, "health"));
                    return health.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), "the server's /api/health");
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    /// <summary>A server process that is expected to refuse to start: its exit code and everything it wrote.</summary>
    private static async Task<(int ExitCode, string Output)> RunToExitAsync(int port, string[] more, string[]? before = null)
    {
        var home = NewHome();
        try
        {
            using var process = Launch(home, port, more, before);
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(deadline.Token);
            process.WaitForExit();
            return (process.ExitCode, Text(output));
        }
        finally
        {
            DeleteHome(home);
        }
    }

    private static string NewHome() => Directory.CreateTempSubdirectory("orleansflow-home-").FullName;

    private static void DeleteHome(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process: the temp folder is cleaned later.
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private sealed record Running(Process Process, string Home, Uri Api) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            Process.Dispose();
            DeleteHome(Home);
        }
    }
}
