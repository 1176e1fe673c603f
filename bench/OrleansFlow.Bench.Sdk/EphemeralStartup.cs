using System.Diagnostics;
using System.Globalization;

namespace OrleansFlow.Bench.Sdk;

/// <summary>Ephemeral-mode start-up: how long a fresh flow process with no server configured takes from its start until
/// its first task body runs. The body runs right after the server accepted the task run's RUNNING, so this is process
/// start → first task run RUNNING as closely as the SDK shows it (plus one pipe write). Each measured process is a child
/// of this one (the same program with <see cref="ChildFlag"/>), on its own <c>ORLEANSFLOW_HOME</c>: the first run
/// creates and migrates the database, the later ones open it.</summary>
internal static class EphemeralStartup
{
    /// <summary>The argument that makes this program the measured child.</summary>
    public const string ChildFlag = "--ephemeral-child";

    private const string Marker = "[ephemeral] first task";

    /// <summary>One start: until the first task body ran, and until the process exited (the in-process server stopped and
    /// the logs were sent), as the parent saw them; and how long the child took to reach <c>Main</c>.</summary>
    public sealed record Start(bool FreshDatabase, double FirstTaskMs, double ExitMs, double MainEnteredMs);

    /// <summary>In the child: one flow with one task, in ephemeral mode; prints <see cref="Marker"/> when the task body runs.</summary>
    public static int RunChild()
    {
        var mainEntered = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Console.WriteLine($"[ephemeral] main {mainEntered.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)}");
        return BenchFlows.FirstTask() == 1 ? 0 : 1;
    }

    /// <summary>The task body of the child's flow: reports that the first task run is RUNNING.</summary>
    public static void ReportFirstTask() => Console.WriteLine(Marker);

    /// <summary>Starts <paramref name="runs"/> child processes one after another (each to its exit) and reports each.</summary>
    /// <exception cref="InvalidOperationException">A child failed or never ran its task.</exception>
    public static async Task<IReadOnlyList<Start>> MeasureAsync(int runs)
    {
        var home = Directory.CreateTempSubdirectory("orleansflow-bench-ephemeral-").FullName;
        try
        {
            var starts = new List<Start>();
            for (var i = 0; i < runs; i++)
            {
                var start = await MeasureOnceAsync(home, freshDatabase: i == 0).ConfigureAwait(false);
                Console.WriteLine($"[ephemeral] run {i + 1}{(start.FreshDatabase ? " (new database)" : "")}: first task after {start.FirstTaskMs:0} ms "
                    + $"(Main entered after {start.MainEnteredMs:0} ms), process exited after {start.ExitMs:0} ms");
                starts.Add(start);
            }

            return starts;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<Start> MeasureOnceAsync(string home, bool freshDatabase)
    {
        var info = ChildStartInfo();
        // Ephemeral mode is what runs when no server is configured: none may leak in from this process's environment.
        info.Environment.Remove("ORLEANSFLOW_API_URL");
        info.Environment.Remove("ORLEANSFLOW_DATABASE_URL");
        info.Environment["ORLEANSFLOW_HOME"] = home;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;

        var firstTask = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        double mainEntered = double.NaN;
        var watch = Stopwatch.StartNew();
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data == Marker)
            {
                firstTask.TrySetResult(watch.Elapsed.TotalMilliseconds);
            }
            else if (e.Data?.StartsWith("[ephemeral] main ", StringComparison.Ordinal) == true)
            {
                mainEntered = double.Parse(e.Data["[ephemeral] main ".Length..], CultureInfo.InvariantCulture);
            }
        };
        var errors = new System.Text.StringBuilder();
        child.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        await child.WaitForExitAsync().ConfigureAwait(false);
        var exited = watch.Elapsed.TotalMilliseconds;
        if (child.ExitCode != 0 || !firstTask.Task.IsCompleted)
        {
            throw new InvalidOperationException($"The ephemeral child exited with {child.ExitCode} (first task seen: {firstTask.Task.IsCompleted}): {errors}");
        }

        return new Start(freshDatabase, await firstTask.Task.ConfigureAwait(false), exited, mainEntered);
    }

    /// <summary>This program again, in child mode: its apphost, or <c>dotnet</c> with its assembly when run that way.</summary>
    private static ProcessStartInfo ChildStartInfo()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var info = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(EphemeralStartup).Assembly.Location);
        }

        info.ArgumentList.Add(ChildFlag);
        return info;
    }
}
