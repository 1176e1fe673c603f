using System.Diagnostics;
using System.Text.Json.Nodes;
using OrleansFlow.Worker;

namespace OrleansFlow.Cli.Commands;

/// <summary>Reads the parameter schemas of a flow program's flows from the program itself, as Prefect's deploy reads a
/// flow's signature: the deployment's command (e.g. <c>dotnet MyFlows.dll</c>) is started with
/// <c>ORLEANSFLOW_DESCRIBE_FLOWS</c> naming a file, and the SDK's <c>FlowRunEntry</c> writes every <c>[Flow]</c> method's
/// name and <c>parameter_openapi_schema</c> there instead of running anything. A command whose program file is not here
/// (the program lives only where the worker runs it), or that is not a .NET program, is not started.</summary>
internal static class DeployDescriber
{
    private const string DescribeVariable = "ORLEANSFLOW_DESCRIBE_FLOWS";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The schemas by flow name; null when the program is not here or is not a .NET program.
    /// <see cref="CliException"/> when it is but cannot describe its flows.</summary>
    public static async Task<Dictionary<string, JsonObject>?> DescribeAsync(string command, string workingDirectory, CancellationToken ct)
    {
        var words = CommandLine.Split(command);
        if (words.Count == 0 || ProgramFile(words, workingDirectory) is not { } program || !File.Exists(program))
        {
            return null;
        }

        var output = Path.Combine(Path.GetTempPath(), $"orleansflow-describe-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(words[0])
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        start.Environment[DescribeVariable] = output;
        start.Environment.Remove("ORLEANSFLOW_FLOW_RUN_ID");
        try
        {
            using var process = Process.Start(start) ?? throw new CliException($"'{command}' could not be started");
            var errors = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new CliException($"'{command}' did not describe its flows within {Timeout.TotalSeconds:0} s");
            }

            if (process.ExitCode != 0 || !File.Exists(output))
            {
                var reason = (await errors.ConfigureAwait(false)).Trim().Split('\n').FirstOrDefault(l => l.Length > 0) ?? $"exit code {process.ExitCode}";
                throw new CliException($"'{command}' did not describe its flows (does its Main call FlowRunEntry.TryRunFromEnvironmentAsync?): {reason}");
            }

            var described = JsonNode.Parse(await File.ReadAllTextAsync(output, ct).ConfigureAwait(false))?["flows"] as JsonArray ?? [];
            var flows = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var flow in described.OfType<JsonObject>())
            {
                if (flow["name"]?.GetValue<string>() is { } name && flow["parameter_openapi_schema"] is JsonObject schema)
                {
                    flows.TryAdd(name, schema);
                }
            }

            return flows;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CliException($"'{command}' could not be started: {e.Message}");
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The .NET program the command runs: the <c>.dll</c> after <c>dotnet</c>, else the command itself when it is
    /// a path to a .NET app's executable (its <c>.runtimeconfig.json</c> beside it). Anything else (a shell script,
    /// <c>/bin/true</c>) is not a flow program to ask, and is never started by <c>deploy</c>: it could do real work.</summary>
    private static string? ProgramFile(IReadOnlyList<string> words, string workingDirectory)
    {
        if (words[0] == "dotnet")
        {
            return words.Skip(1).FirstOrDefault(w => w.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) is { } dll
                ? Path.GetFullPath(dll, workingDirectory)
                : null;
        }

        if (!words[0].Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        var executable = Path.GetFullPath(words[0], workingDirectory);
        var runtimeConfig = Path.Combine(Path.GetDirectoryName(executable)!, Path.GetFileNameWithoutExtension(executable) + ".runtimeconfig.json");
        return File.Exists(runtimeConfig) ? executable : null;
    }
}
