using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Worker;

/// <summary>The process worker's work as one-tick steps (a host, <see cref="WorkerHost"/>, owns the loops):
/// <see cref="HeartbeatOnceAsync"/>, <see cref="PollOnceAsync"/> (claim due runs, propose PENDING, start each run's command
/// as a local process and record its pid) and <see cref="WatchOnceAsync"/> (a run whose process exited without a final state
/// becomes CRASHED; a run gone CANCELLING has its process tree killed and becomes CANCELLED). Disposing forgets the
/// processes without killing them.</summary>
public sealed class ProcessWorker : IWorker
{
    private readonly WorkerOptions _options;
    private readonly OrleansFlowClient _api;
    private readonly TextWriter _log;
    private readonly ConcurrentDictionary<Guid, Process> _running = new();
    private TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="options">The worker's settings.</param>
    /// <param name="api">The server's API (the caller disposes it).</param>
    /// <param name="log">Where the worker writes what it does; default <see cref="TextWriter.Null"/>.</param>
    public ProcessWorker(WorkerOptions options, OrleansFlowClient api, TextWriter? log = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _api = api ?? throw new ArgumentNullException(nameof(api));
        _log = log ?? TextWriter.Null;
    }

    /// <summary>The runs this worker started whose process it still watches.</summary>
    public IReadOnlyCollection<Guid> RunningRuns => [.. _running.Keys];

    /// <summary>How many more runs the limit allows now (null: no limit).</summary>
    public int? FreeSlots => _options.Limit is { } limit ? Math.Max(0, limit - _running.Count) : null;

    /// <summary>A task that completes when one of the started processes exits (from then on a new task is handed out), so
    /// that a host watches at once instead of at its next interval and a freed slot is filled at once.</summary>
    public Task InfrastructureExited => Volatile.Read(ref _exited).Task;

    /// <summary>Sends one heartbeat for the pool.</summary>
    public Task HeartbeatOnceAsync(CancellationToken cancellationToken = default) =>
        _api.HeartbeatWorkerAsync(_options.Pool, _options.Name, cancellationToken);

    /// <summary>Claims runs due within <paramref name="wait"/> (waiting up to that long on the server when there are none)
    /// within the limit and starts each one this worker wins, a run due later in the window at its time (its claim lasts
    /// 30 s, so keep <paramref name="wait"/> well below). Answers how many it started. With no free slot it asks for nothing.</summary>
    public Task<int> PollOnceAsync(TimeSpan wait, CancellationToken cancellationToken = default) =>
        RunClaims.ClaimAndSubmitAsync(_api, _options, FreeSlots, wait, SubmitAsync, cancellationToken);

    /// <summary>Checks every run this worker started: reports crashed and cancelled runs and stops watching finished ones.</summary>
    public async Task WatchOnceAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (id, process) in _running.ToArray())
        {
            var exited = process.HasExited;
            var state = (await _api.ReadFlowRunAsync(id, cancellationToken).ConfigureAwait(false)).StateType;
            if (state == StateType.Cancelling)
            {
                if (!exited)
                {
                    await _log.WriteLineAsync($"Run {id} is cancelling: killing process {process.Id}.").ConfigureAwait(false);
                    Kill(process);
                    await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                }

                await RunClaims.EndAsync(_api, id, StateType.Cancelled, "The worker killed the run's process.", cancellationToken).ConfigureAwait(false);
                await TaskRunCleanup.EndRunningAsync(_api, _log, id, StateType.Cancelled, "The flow run was cancelled while this task run was running.", cancellationToken).ConfigureAwait(false);
                Forget(id);
            }
            else if (exited)
            {
                if (state is not { } known || !known.IsTerminal())
                {
                    var code = process.ExitCode;
                    await _log.WriteLineAsync($"Run {id}: process exited with code {code} in state {state?.ToWire()}; reporting CRASHED.").ConfigureAwait(false);
                    await RunClaims.EndAsync(_api, id, StateType.Crashed,
                        $"The flow run's process exited with code {code} without reporting a final state.", cancellationToken).ConfigureAwait(false);
                    await TaskRunCleanup.EndRunningAsync(_api, _log, id, StateType.Crashed, "The flow run's process exited while this task run was running.", cancellationToken).ConfigureAwait(false);
                }

                Forget(id);
            }
        }
    }

    /// <summary>Proposes PENDING for <paramref name="run"/> and, when accepted, starts its process. False when another
    /// worker has the run or it could not be started (then it is CRASHED).</summary>
    internal async Task<bool> SubmitAsync(FlowRun run, CancellationToken cancellationToken)
    {
        var id = run.Id;
        if (!await RunClaims.ProposePendingAsync(_api, id, _log, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        Process process;
        try
        {
            var configuration = await JobConfiguration.RenderAsync(_api, _options.Pool, run, cancellationToken).ConfigureAwait(false);
            process = Start(id, configuration);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or System.ComponentModel.Win32Exception or JsonException)
        {
            await _log.WriteLineAsync($"Run {id}: cannot start its process: {ex.Message}").ConfigureAwait(false);
            await RunClaims.EndAsync(_api, id, StateType.Crashed, $"The worker could not start the flow run's process: {ex.Message}",
                cancellationToken).ConfigureAwait(false);
            return false;
        }

        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Interlocked.Exchange(ref _exited, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        _running[id] = process;
        if (process.HasExited)
        {
            // It ended before the handler was attached.
            Interlocked.Exchange(ref _exited, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
        await _log.WriteLineAsync($"Run {id}: started process {process.Id}.").ConfigureAwait(false);
        await _api.UpdateFlowRunAsync(id, new FlowRunUpdate { InfrastructurePid = $"{Environment.MachineName}:{process.Id}" }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var id in _running.Keys)
        {
            Forget(id);
        }
    }

    private Process Start(Guid id, JsonObject configuration)
    {
        var command = configuration["command"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new InvalidOperationException("The deployment and its work pool give no command.");
        }

        var args = CommandLine.Split(command);
        var start = new ProcessStartInfo(args[0]) { UseShellExecute = false };
        foreach (var arg in args.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        if (configuration["working_dir"]?.GetValue<string>() is { Length: > 0 } directory)
        {
            start.WorkingDirectory = directory;
        }

        if (configuration["env"] is JsonObject env)
        {
            foreach (var (name, value) in env)
            {
                start.Environment[name] = value is JsonValue text && text.TryGetValue<string>(out var s) ? s : value?.ToJsonString();
            }
        }

        var apiUrl = _options.ApiUrl.ToString().TrimEnd('/');
        start.Environment["ORLEANSFLOW_API_URL"] = apiUrl;
        start.Environment["ORLEANSFLOW_FLOW_RUN_ID"] = id.ToString();
        start.Environment["PREFECT_API_URL"] = apiUrl;
        start.Environment["PREFECT__FLOW_RUN_ID"] = id.ToString();
        if (_options.ApiKey is { Length: > 0 } key)
        {
            start.Environment["ORLEANSFLOW_API_KEY"] = key;
            start.Environment["PREFECT_API_KEY"] = key;
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"'{args[0]}' did not start.");
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    private void Forget(Guid id)
    {
        if (_running.TryRemove(id, out var process))
        {
            process.Dispose();
        }
    }
}
