using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Cli.Commands;
using OrleansFlow.Testing;

namespace OrleansFlow.Cli.Tests;

/// <summary>A real in-process server (background loops off) and the client command tree invoked in-process against it,
/// with the output captured.</summary>
internal sealed class CliHarness : IAsyncDisposable
{
    private CliHarness(InProcessServer server)
    {
        Server = server;
        Http = server.CreateClient();
    }

    public InProcessServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<CliHarness> StartAsync() =>
        new(await InProcessServer.StartAsync(configure: options => options.BackgroundProcesses = false));

    /// <summary>Runs <c>orleansflow ARGS --api URL</c> and returns its exit code and what it wrote.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunAgainstAsync(Server.ApiUrl, args);

    /// <summary>Runs <c>orleansflow ARGS --api URL</c> at a terminal where the user types <paramref name="answer"/> when asked.</summary>
    public Task<CliResult> RunInteractiveAsync(string answer, params string[] args) => RunAgainstAsync(Server.ApiUrl, args, answer: answer);

    /// <summary>Runs the client commands in-process against <paramref name="apiUrl"/>. With <paramref name="answer"/> null there
    /// is no terminal (as under a script); otherwise a terminal where the user types that line when asked.</summary>
    public static Task<CliResult> RunAgainstAsync(string apiUrl, string[] args, int width = 200, string? answer = null) =>
        RunLineAsync([.. args, "--api", apiUrl], width, answer);

    /// <summary>Runs exactly the command line <paramref name="args"/> in-process (nothing appended; <c>--api</c> goes where the
    /// test puts it).</summary>
    public static async Task<CliResult> RunLineAsync(string[] args, int width = 200, string? answer = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(answer is null ? "" : answer + "\n");
        var root = new RootCommand("test");
        ClientCommands.AddTo(root, new CliConsole(output, error, width) { In = input, Interactive = answer is not null });
        CliRunner.Prepare(root);
        var exit = await CliRunner.InvokeAsync(root, args, output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>orleansflow ARGS --api URL</c> as a real process, as a script would.</summary>
    public Task<(int ExitCode, string Output)> RunAsScriptAsync(params string[] args) => RunProcessAsync([.. args, "--api", Server.ApiUrl]);

    /// <summary>The CLI as a real process (its own entry point: usage errors are shaped there), with its output and error
    /// streams together. Its standard input is a pipe that stays open and silent until it exits, as under a script or a
    /// CI job: a command that waited for an answer there would never finish, and fails the test at the deadline.</summary>
    public static async Task<(int ExitCode, string Output)> RunProcessAsync(string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { OrleansFlow.Testing.ServerProcess.CliPath() }.Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"orleansflow {string.Join(' ', args)} did not finish within 60 s (waiting for input?)");
        }
        finally
        {
            process.StandardInput.Close();
        }

        return (process.ExitCode, await output + await error);
    }

    public async Task<JsonNode> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>A flow and a deployment of it with an hourly schedule (none when <paramref name="scheduled"/> is false: the
    /// server then creates no runs of its own); returns the deployment.</summary>
    public async Task<JsonNode> DeploymentAsync(string flow, string name, string? pool = null, bool scheduled = true)
    {
        var flowId = (await PostAsync("flows/", new { name = flow }))["id"]!.ToString();
        return await PostAsync("deployments/", new
        {
            name,
            flow_id = flowId,
            description = $"{name} of {flow}",
            tags = new[] { "cli-test" },
            parameters = new { x = 1 },
            schedule = scheduled ? new { interval = 3600 } : null,
            work_pool_name = pool,
        });
    }

    public async Task<string> RunInStateAsync(string deploymentId, params string[] states)
    {
        var run = await PostAsync($"deployments/{deploymentId}/create_flow_run", new { });
        var id = run["id"]!.ToString();
        foreach (var state in states)
        {
            var result = await PostAsync($"flow_runs/{id}/set_state", new { state = new { type = state } });
            Assert.Equal("ACCEPT", result["status"]!.ToString());
        }

        return id;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public JsonNode Json() => JsonNode.Parse(Output)!;
}
