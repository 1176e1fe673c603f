using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OrleansFlow.Testing;

/// <summary>An OrleansFlow server running as a real separate process: <c>dotnet orleansflow.dll server start --host
/// 127.0.0.1 --port P</c>, with <c>ORLEANSFLOW_DATABASE_URL</c> and <c>ORLEANSFLOW_HOME</c> in its environment. Started when
/// <c>GET /api/health</c> answers; killed (with its children) on dispose, or when the test process exits.</summary>
/// <example><code>
/// await using var database = await PostgresServer.CreateDatabaseAsync();
/// await using var a = await ServerProcess.StartAsync(database.Url);
/// await using var b = await ServerProcess.StartAsync(database.Url);
/// using var http = a.CreateClient();   // BaseAddress = http://127.0.0.1:PORT/api/
/// </code></example>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>The file name of the CLI assembly, copied next to the tests by the Testing project's reference.</summary>
    public const string CliFileName = "orleansflow.dll";

    private static readonly ConcurrentDictionary<ServerProcess, byte> Running = new();
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _home;

    static ServerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var server in Running.Keys)
        {
            server.Kill();
        }
    };

    private ServerProcess(Process process, StringBuilder output, string home, int port)
    {
        _process = process;
        _output = output;
        _home = home;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c> (with a trailing slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The API root as a Prefect client's <c>PREFECT_API_URL</c> takes it, e.g. <c>http://127.0.0.1:41234/api</c>.</summary>
    public string ApiUrl => new Uri(BaseAddress, "api").ToString();

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to stdout and stderr so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The CLI the servers run: <c>ORLEANSFLOW_CLI_DLL</c> when set, else <see cref="CliFileName"/> next to the
    /// test assembly.</summary>
    /// <exception cref="FileNotFoundException">The CLI is not there (the test project does not reference OrleansFlow.Testing).</exception>
    public static string CliPath()
    {
        var path = Environment.GetEnvironmentVariable("ORLEANSFLOW_CLI_DLL") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, CliFileName);
        return File.Exists(path) && File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json"))
            ? path
            : throw new FileNotFoundException($"The OrleansFlow CLI ({path} with its .runtimeconfig.json) was not found; reference OrleansFlow.Testing from the test project, or set ORLEANSFLOW_CLI_DLL.", path);
    }

    /// <summary>Starts a server process and waits until <c>GET /api/health</c> answers.</summary>
    /// <param name="databaseUrl">Its <c>ORLEANSFLOW_DATABASE_URL</c>; null means SQLite in its own temp <c>ORLEANSFLOW_HOME</c>.</param>
    /// <param name="environment">More environment variables for the process (a null value removes a variable).</param>
    /// <param name="startTimeout">How long to wait for health; default 60 s.</param>
    /// <param name="cancellationToken">Cancels the start (the process is killed).</param>
    /// <exception cref="InvalidOperationException">The process exited or did not become healthy in time; the message
    /// carries its output.</exception>
    public static Task<ServerProcess> StartAsync(string? databaseUrl = null, IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? startTimeout = null, CancellationToken cancellationToken = default) =>
        StartAsync("server", databaseUrl, environment, startTimeout, cancellationToken);

    /// <summary>Starts an <c>orleansflow gateway start</c> process (an Orleans client of the silo cluster kept in
    /// <paramref name="databaseUrl"/>, serving the HTTP API) and waits until <c>GET /api/health</c> answers.</summary>
    /// <param name="databaseUrl">The cluster's PostgreSQL URL (null: SQLite, which a gateway refuses).</param>
    /// <param name="environment">More environment variables for the process (a null value removes a variable).</param>
    /// <param name="startTimeout">How long to wait for health; default 60 s.</param>
    /// <param name="cancellationToken">Cancels the start (the process is killed).</param>
    /// <exception cref="InvalidOperationException">The process exited or did not become healthy in time.</exception>
    public static Task<ServerProcess> StartGatewayAsync(string? databaseUrl, IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? startTimeout = null, CancellationToken cancellationToken = default) =>
        StartAsync("gateway", databaseUrl, environment, startTimeout, cancellationToken);

    private static async Task<ServerProcess> StartAsync(string command, string? databaseUrl, IReadOnlyDictionary<string, string?>? environment,
        TimeSpan? startTimeout, CancellationToken cancellationToken)
    {
        var cli = CliPath();
        var failure = "";
        // The port is free when picked but could be taken before the server binds it: then try another.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var home = TempFolder.Create("orleansflow-home");
            var server = Launch(cli, command, databaseUrl, environment, home, FreePort.Next());
            try
            {
                if (await server.WaitHealthyAsync(startTimeout ?? DefaultStartTimeout, cancellationToken).ConfigureAwait(false))
                {
                    return server;
                }

                failure = server.Output;
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            await server.DisposeAsync().ConfigureAwait(false);
            if (!failure.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }
        }

        throw new InvalidOperationException($"The OrleansFlow {command} process did not start. Its output:\n{failure}");
    }

    /// <summary>A client whose base address is the API root with a trailing slash (<c>http://127.0.0.1:PORT/api/</c>).
    /// The caller disposes it.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = new Uri(BaseAddress, "api/") };

    /// <summary>Kills the server the way <c>kill -9</c> does (SIGKILL on Linux: no shutdown code runs, its sockets just
    /// close) and waits until it has ended; its home folder stays until <see cref="DisposeAsync"/>.</summary>
    /// <returns>The exit code the process ended with (137, 128 + SIGKILL, on Linux).</returns>
    public async Task<int> KillAsync()
    {
        Kill();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Stops the server the way Kubernetes does (SIGTERM: the host shuts down, its silo leaves the cluster) and
    /// waits until it has ended; its home folder stays until <see cref="DisposeAsync"/>.</summary>
    /// <param name="timeout">How long to wait for the process to end.</param>
    /// <returns>The exit code the process ended with.</returns>
    /// <exception cref="TimeoutException">The process did not end in time.</exception>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            var (code, output) = await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            if (code != 0 && !_process.HasExited)
            {
                throw new InvalidOperationException($"kill -TERM {_process.Id} failed ({code}): {output}");
            }
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server process {_process.Id} did not end within {timeout.TotalSeconds:0} s of SIGTERM. Its output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process tree, waits for it to end and deletes its temp home folder.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // It did not die in 30 s; there is nothing more a test can do.
        }

        Running.TryRemove(this, out _);
        _process.Dispose();
        TempFolder.Delete(_home);
    }

    private static ServerProcess Launch(string cli, string command, string? databaseUrl, IReadOnlyDictionary<string, string?>? environment, string home, int port)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = home,
        };
        foreach (var argument in new[] { cli, command, "start", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        // Settings of the test process must not leak into the server.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ORLEANSFLOW_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ORLEANSFLOW_HOME"] = home;
        if (databaseUrl is not null)
        {
            start.Environment["ORLEANSFLOW_DATABASE_URL"] = databaseUrl;
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, output, home, port);
        Running.TryAdd(server, 0);
        return server;
    }

    private async Task<bool> WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var health = new Uri(BaseAddress, "api/health");
        var healthy = false;
        try
        {
            await Poll.UntilAsync(async () =>
            {
                if (_process.HasExited)
                {
                    return true;
                }

                try
                {
                    using var response = await http.GetAsync(health, cancellationToken).ConfigureAwait(false);
                    healthy = response.IsSuccessStatusCode;
                    return healthy;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // One slow answer (a loaded machine, the first request's JIT) is not a failure: ask again.
                    return false;
                }
            }, timeout, $"the server process {_process.Id} to answer {health}", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            Append(_output, ex.Message);
        }

        if (!healthy && _process.HasExited)
        {
            // HasExited turns true before the output readers have drained the pipes; WaitForExitAsync waits for
            // both to reach end of file, so the caller's message carries everything the process printed.
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        return healthy;
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>The <c>dotnet</c> host: the one running the tests when known (<c>DOTNET_HOST_PATH</c>, set by
    /// <c>dotnet test</c>), else <c>dotnet</c> from the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
