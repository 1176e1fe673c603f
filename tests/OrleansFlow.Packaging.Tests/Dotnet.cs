using System.Diagnostics;
using System.Text;

namespace OrleansFlow.Packaging.Tests;

/// <summary>Runs the <c>dotnet</c> CLI (or a program) as a new user would, and fails with its output when it fails.</summary>
internal static class Dotnet
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> in <paramref name="folder"/>; the output when it exits 0.</summary>
    public static Task<string> RunAsync(string folder, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        RunProgramAsync("dotnet", folder, environment, arguments);

    /// <summary>Runs <paramref name="program"/> in <paramref name="folder"/>; the output when it exits 0.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">It exited with another code or ran past the time-out.</exception>
    public static async Task<string> RunProgramAsync(string program, string folder, IReadOnlyDictionary<string, string?> environment,
        params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A new user's shell: no server configured, no MSBuild state of the test run leaking into the child builds.
        foreach (var name in new[] { "ORLEANSFLOW_API_URL", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timer = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} ran longer than {Timeout}:\n{Text(output)}");
        }

        process.WaitForExit();
        var text = Text(output);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{text}");
        return text;
    }

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
}
