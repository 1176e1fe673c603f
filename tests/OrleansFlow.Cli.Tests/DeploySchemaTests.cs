using System.Net;

namespace OrleansFlow.Cli.Tests;

/// <summary><c>orleansflow deploy</c> reads each flow's parameter schema from the deployment's program (a real .NET flow
/// program started with ORLEANSFLOW_DESCRIBE_FLOWS), so the server checks a run's parameters against it.</summary>
public sealed class DeploySchemaTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansflow-deploy-schema-").FullName;

    private static string ProgramPath => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "DeployProgram", "bin",
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name, "net10.0", "DeployProgram.dll");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Deploy_ProgramHere_StoresTheFlowsParameterSchema_RunsWithBadParametersRefused(bool postgres)
    {
        await using var server = await DeployServer.StartAsync(postgres);
        var yaml = $"""
            deployments:
              - name: weekly
                flow: sales-report
                command: dotnet {Path.GetFullPath(ProgramPath)}
                parameters:
                  region: emea
            """;

        var result = await CliHarness.RunAgainstAsync(server.ApiUrl, ["deploy", "--file", Write(yaml)]);

        Assert.True(result.ExitCode == 0, result.Error);
        var deployment = await server.GetAsync("deployments/name/sales-report/weekly");
        var schema = deployment["parameter_openapi_schema"]!.AsObject();
        Assert.Equal(["region", "days", "draft"], schema["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal("integer", schema["properties"]!["days"]!["type"]!.GetValue<string>());
        Assert.Equal(7, schema["properties"]!["days"]!["default"]!.GetValue<int>());
        Assert.Equal(["region"], schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));

        using var http = new HttpClient { BaseAddress = new Uri(server.ApiUrl.TrimEnd('/') + "/") };
        var id = deployment["id"]!.GetValue<string>();
        using var bad = await http.PostAsync($"deployments/{id}/create_flow_run",
            new StringContent("""{"parameters": {"region": "emea", "days": "many"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("days", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var good = await http.PostAsync($"deployments/{id}/create_flow_run",
            new StringContent("""{"parameters": {"days": 30}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
    }

    [Fact]
    public async Task Deploy_FlowNotInTheProgram_RefusedNamingTheFlowsItHas()
    {
        await using var server = await DeployServer.StartAsync(false);
        var yaml = $"""
            deployments:
              - name: weekly
                flow: salse-report
                command: dotnet {Path.GetFullPath(ProgramPath)}
            """;

        var result = await CliHarness.RunAgainstAsync(server.ApiUrl, ["deploy", "--file", Write(yaml)]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("has no [Flow] named 'salse-report' (it has: sales-report)", result.Error, StringComparison.Ordinal);
    }

    /// <summary>A script is not a flow program to ask: deploy must not run it (it could do real work), and the deployment is
    /// stored without a schema. The script here would leave a file behind if it were started.</summary>
    [Fact]
    public async Task Deploy_CommandThatIsNotADotnetProgram_IsNotStartedAndStoredWithoutASchema()
    {
        await using var server = await DeployServer.StartAsync(false);
        var marker = Path.Combine(_folder, "ran");
        var script = Path.Combine(_folder, "job.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\ntouch '{marker}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var yaml = $"""
            deployments:
              - name: shell
                flow: shell-job
                command: {script}
            """;

        var result = await CliHarness.RunAgainstAsync(server.ApiUrl, ["deploy", "--file", Write(yaml)]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.False(File.Exists(marker), "deploy started the script");
        var deployment = await server.GetAsync("deployments/name/shell-job/shell");
        Assert.Empty(deployment["parameter_openapi_schema"]?.AsObject() ?? []);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
