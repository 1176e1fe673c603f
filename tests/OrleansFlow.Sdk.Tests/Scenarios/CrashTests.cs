using System.Diagnostics;
using OrleansFlow.Sdk.Tests.Infrastructure;
using OrleansFlow.Testing;

namespace OrleansFlow.Sdk.Tests.Scenarios;

public sealed class CrashTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sigterm_WhileAFlowRuns_RunEndsCrashedAndOnCrashedHooksRun(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        using var folder = new SqliteFiles();
        var marker = Path.Combine(folder.Folder, "marker.txt");
        var program = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "CrashProgram", "bin",
            new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name, "net10.0", "CrashProgram.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(program);
        start.Environment["ORLEANSFLOW_API_URL"] = server.ApiUrl;
        start.Environment["CRASH_MARKER"] = marker;
        using var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        await Poll.UntilAsync(() => File.Exists(marker) && File.ReadAllText(marker).StartsWith("running ", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the flow to start");
        var id = Guid.Parse(File.ReadAllText(marker).Split('\n')[0]["running ".Length..]);
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var run = await server.FlowRunAsync(id);
        Assert.Equal("CRASHED", run.State().Str("type"));
        Assert.Equal("Execution was interrupted: the flow run process received SIGTERM.", run.State().Str("message"));
        Assert.Equal(["Pending", "Running", "Crashed"], await server.FlowRunStateNamesAsync(id));
        Assert.Contains("hook Crashed", File.ReadAllText(marker), StringComparison.Ordinal);
    }
}
