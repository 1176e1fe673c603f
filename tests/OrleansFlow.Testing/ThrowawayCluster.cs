using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace OrleansFlow.Testing;

/// <summary>A PostgreSQL cluster made with the installed binaries in a temp folder: <c>initdb</c>, then <c>pg_ctl
/// start</c> on a free loopback port with its unix socket in the folder, trust authentication and fsync off. PostgreSQL
/// refuses to run as root, so as root the folder is handed to the <c>postgres</c> user and the binaries run through
/// <c>runuser</c>. Folders left by test processes that died are stopped and deleted by the next start.</summary>
internal sealed partial class ThrowawayCluster
{
    public const string Superuser = "postgres";
    private const string FolderPrefix = "orleansflow-pg";
    private const string SystemUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string> PgEnvironment = new() { ["LC_ALL"] = "C", ["LANG"] = "C" };

    private readonly string _bin;
    private readonly bool _asRoot;
    private int _stopped;

    private ThrowawayCluster(string bin, bool asRoot, string root, int port)
    {
        _bin = bin;
        _asRoot = asRoot;
        Root = root;
        Port = port;
    }

    /// <summary>The temp folder holding the data directory, the socket and the log.</summary>
    public string Root { get; }

    public int Port { get; }

    private string Data => Path.Combine(Root, "data");

    public static async Task<ThrowawayCluster> StartAsync()
    {
        var bin = FindBinaries();
        var asRoot = geteuid() == 0;
        await StopAbandonedAsync(bin, asRoot).ConfigureAwait(false);

        var root = TempFolder.Create(FolderPrefix);
        var cluster = new ThrowawayCluster(bin, asRoot, root, port: 0);
        try
        {
            if (asRoot)
            {
                await Check(await ProcessRunner.RunAsync("chown", [$"{SystemUser}:{SystemUser}", root], TimeSpan.FromSeconds(30)).ConfigureAwait(false), "chown").ConfigureAwait(false);
            }

            await Check(await cluster.RunAsync("initdb", ["-D", cluster.Data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                TimeSpan.FromSeconds(120)).ConfigureAwait(false), "initdb").ConfigureAwait(false);

            // The port is free when picked but another process could take it first: then try another one.
            string failure = "";
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                var started = new ThrowawayCluster(bin, asRoot, root, FreePort.Next());
                (var ready, failure) = await started.TryStartAsync().ConfigureAwait(false);
                if (ready)
                {
                    return started;
                }
            }

            throw new InvalidOperationException($"The throwaway PostgreSQL in {root} did not start: {failure}");
        }
        catch
        {
            await cluster.StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the server at once (no checkpoint: the data is thrown away) and deletes its folder.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            await RunAsync("pg_ctl", ["stop", "-D", Data, "-m", "immediate", "-w", "-t", "30"], TimeSpan.FromSeconds(40)).ConfigureAwait(false);
        }

        TempFolder.Delete(Root);
    }

    /// <summary>For process exit, where the test runner may kill the process any moment: signals the postmaster to
    /// quit (SIGQUIT, what <c>pg_ctl stop -m immediate</c> sends) without waiting, and deletes the folder.</summary>
    public void StopNow()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            var pidFile = Path.Combine(Data, "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid))
            {
                _ = kill(pid, SigQuit);
            }

            TempFolder.Delete(Root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next test run removes what is left (its owner process is gone).
        }
    }

    private async Task<(bool Ready, string Failure)> TryStartAsync()
    {
        var log = Path.Combine(Root, $"postgres-{Port}.log");
        var options = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {Root}",
            "-c listen_addresses=127.0.0.1",
            "-c max_connections=200",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c shared_buffers=64MB");
        var (exit, output) = await RunAsync("pg_ctl", ["start", "-D", Data, "-l", log, "-W", "-o", options], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (exit != 0)
        {
            return (false, $"pg_ctl start exited with {exit}: {output}");
        }

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var (ready, _) = await ProcessRunner.RunAsync(Path.Combine(_bin, "pg_isready"),
                ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", Superuser, "-d", "postgres", "-t", "2"],
                TimeSpan.FromSeconds(10), PgEnvironment).ConfigureAwait(false);
            if (ready == 0)
            {
                return (true, "");
            }

            // A postmaster that cannot start (port taken, bad setting) says FATAL in its log and exits.
            var text = File.Exists(log) ? await File.ReadAllTextAsync(log).ConfigureAwait(false) : "";
            if (text.Contains("FATAL", StringComparison.Ordinal) && !File.Exists(Path.Combine(Data, "postmaster.pid")))
            {
                return (false, text);
            }

            await Task.Delay(Poll.DefaultInterval).ConfigureAwait(false);
        }

        await RunAsync("pg_ctl", ["stop", "-D", Data, "-m", "immediate"], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return (false, $"not ready within {StartTimeout.TotalSeconds:0} s");
    }

    /// <summary>Runs a PostgreSQL binary, as the <c>postgres</c> user when this process is root.</summary>
    private Task<(int ExitCode, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout) =>
        RunAsync(_bin, _asRoot, program, arguments, timeout);

    private static Task<(int ExitCode, string Output)> RunAsync(string bin, bool asRoot, string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var path = Path.Combine(bin, program);
        return asRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", SystemUser, "--", path, .. arguments], timeout, PgEnvironment)
            : ProcessRunner.RunAsync(path, arguments, timeout, PgEnvironment);
    }

    private static Task Check((int ExitCode, string Output) result, string what) =>
        result.ExitCode == 0 ? Task.CompletedTask : throw new InvalidOperationException($"{what} failed ({result.ExitCode}): {result.Output}");

    /// <summary>Stops and deletes clusters whose owning test process is gone (it was killed before its exit handler ran).</summary>
    private static async Task StopAbandonedAsync(string bin, bool asRoot)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "-*"))
        {
            var parts = Path.GetFileName(folder).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var owner) || IsAlive(owner))
            {
                continue;
            }

            var data = Path.Combine(folder, "data");
            try
            {
                if (File.Exists(Path.Combine(data, "postmaster.pid")))
                {
                    await RunAsync(bin, asRoot, "pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w", "-t", "30"], TimeSpan.FromSeconds(40)).ConfigureAwait(false);
                }

                TempFolder.Delete(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
            {
                // Someone else's leftovers: not this run's problem.
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string FindBinaries()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_TEST_PG_BIN") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.EnumerateDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                $"No PostgreSQL binaries (initdb, pg_ctl) found in /usr/lib/postgresql/*/bin, ORLEANSFLOW_TEST_PG_BIN or PATH; install PostgreSQL or set {PostgresServer.UrlVariable}.");
    }

    private const int SigQuit = 3;

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc")]
    private static partial int kill(int pid, int signal);
}
