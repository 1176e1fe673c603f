using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Client;
using OrleansFlow.Runtime;

namespace OrleansFlow;

/// <summary>Serves deployments in this process (what <see cref="Flows.ServeAsync(Deployment[])"/> runs): registers each
/// deployment's flow and the deployment on the server (parameters, schedule, parameter schema from the method signature),
/// each in its own queue of <see cref="ServeOptions.WorkPool"/>, then long-polls that pool for due runs of its queues,
/// claims them, proposes PENDING and runs each flow with the run's parameters in this process, at most
/// <see cref="ServeOptions.Limit"/> at once. A run cancelled on the server (CANCELLING) has its
/// <see cref="FlowRunContext.CancellationToken"/> (and a <see cref="CancellationToken"/> parameter of the flow) cancelled and
/// ends CANCELLED. Stopping (the token) waits <see cref="ServeOptions.ShutdownGracePeriod"/> for the runs in flight, then
/// cancels them (CANCELLED). Heartbeats: the pool's worker heartbeat from here, each run's from the flow engine.</summary>
/// <remarks>The server is the one in effect where <see cref="RunAsync"/> is called: an enclosing
/// <see cref="Flows.UseApi(string)"/> scope, else <c>ORLEANSFLOW_API_URL</c>, else the in-process ephemeral server.</remarks>
public sealed class FlowServer
{
    private readonly IReadOnlyList<Deployment> _deployments;
    private readonly ServeOptions _options;
    private readonly string _name;
    private readonly TextWriter _log;
    private readonly ConcurrentDictionary<Guid, ActiveRun> _active = new();
    private readonly SemaphoreSlim _slotFreed = new(0);
    private readonly Dictionary<Guid, Deployment> _byId = [];
    private IReadOnlyList<ServedDeployment>? _registered;
    private OrleansFlowClient? _api;

    /// <param name="deployments">What to serve (at least one; names unique per flow).</param>
    /// <param name="options">How; default <see cref="ServeOptions"/>'s defaults.</param>
    /// <exception cref="ArgumentException">No deployment, or two with the same flow and name.</exception>
    public FlowServer(IEnumerable<Deployment> deployments, ServeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        _deployments = [.. deployments];
        if (_deployments.Count == 0)
        {
            throw new ArgumentException("Serve at least one deployment.", nameof(deployments));
        }

        if (_deployments.GroupBy(d => (d.FlowName, d.Name)).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"The deployment '{twice.Key.FlowName}/{twice.Key.Name}' is given twice.", nameof(deployments));
        }

        _options = options ?? new ServeOptions();
        if (_options.Limit is <= 0)
        {
            throw new ArgumentException("The limit must be positive (or null for no limit).", nameof(options));
        }

        _name = _options.Name ?? $"serve-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        _log = _options.Log is { } log ? TextWriter.Synchronized(log) : TextWriter.Null;
    }

    /// <summary>The deployments as registered, once <see cref="RegisterAsync"/> (or <see cref="RunAsync"/>) has run.</summary>
    public IReadOnlyList<ServedDeployment> Deployments => _registered ?? [];

    /// <summary>How many runs this server runs now.</summary>
    public int RunningCount => _active.Count;

    /// <summary>Set when the process got a stop signal (Ctrl+C, SIGTERM): the runs in flight, reported CRASHED by the
    /// SDK's signal handling, are neither waited for nor cancelled.</summary>
    internal bool Interrupted { get; set; }

    /// <summary>Registers the pool, flows and deployments on the server (idempotent: an existing deployment is updated).
    /// <see cref="RunAsync"/> calls it when it has not run.</summary>
    /// <exception cref="OrleansFlowApiException">The server refused a registration (e.g. an invalid schedule, 422).</exception>
    public async Task<IReadOnlyList<ServedDeployment>> RegisterAsync(CancellationToken cancellationToken = default)
    {
        if (_registered is { } done)
        {
            return done;
        }

        var client = await ServerConnection.GetClientAsync(cancellationToken).ConfigureAwait(false);
        _api ??= client.Api;
        await _api.EnsureWorkPoolAsync(new WorkPoolCreate(_options.WorkPool, "serve", "Runs served in-process by Flows.ServeAsync."), cancellationToken)
            .ConfigureAwait(false);
        var registered = new List<ServedDeployment>();
        foreach (var deployment in _deployments)
        {
            var flowId = await client.UpsertFlowAsync(deployment.FlowName, cancellationToken).ConfigureAwait(false);
            var queue = QueueName(deployment);
            var method = deployment.Flow.Method;
            var created = await _api.CreateDeploymentAsync(new DeploymentCreate
            {
                Name = deployment.Name,
                FlowId = flowId,
                Schedule = deployment.Schedule?.ToJson(),
                IsScheduleActive = !deployment.Paused,
                Parameters = (JsonObject)deployment.Parameters.DeepClone(),
                Tags = deployment.Tags,
                Description = deployment.Description,
                Version = deployment.Version,
                ParameterOpenapiSchema = deployment.ParameterSchemaJson(),
                WorkPoolName = _options.WorkPool,
                WorkQueueName = queue,
                Entrypoint = $"{method.DeclaringType?.Assembly.GetName().Name}.dll:{method.DeclaringType?.FullName}.{method.Name}",
            }, cancellationToken).ConfigureAwait(false);
            var id = created.Id;
            _byId[id] = deployment;
            registered.Add(new ServedDeployment(id, flowId, deployment.FlowName, deployment.Name, _options.WorkPool, queue));
            await _log.WriteLineAsync($"Serving deployment '{deployment.FlowName}/{deployment.Name}' ({id})"
                + (deployment.Schedule is { } s ? $" on schedule {s}" : "") + ".").ConfigureAwait(false);
        }

        _registered = registered;
        return registered;
    }

    /// <summary>Registers the deployments and runs their runs until <paramref name="cancellationToken"/> is cancelled, then
    /// stops taking runs and waits for the runs in flight (cancelling those still running after the grace period).</summary>
    /// <exception cref="OrleansFlowApiException">The server refused a registration.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var deployments = await RegisterAsync(cancellationToken).ConfigureAwait(false);
        var api = _api!;
        var queues = deployments.Select(d => d.WorkQueue).ToArray();
        using var background = new CancellationTokenSource();
        var watching = WatchAsync(api, background.Token);
        await _log.WriteLineAsync($"Polling work pool '{_options.WorkPool}' for runs as '{_name}'. Stop with Ctrl+C.").ConfigureAwait(false);
        try
        {
            await PollAsync(api, queues, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await StopRunsAsync(api).ConfigureAwait(false);
        await background.CancelAsync().ConfigureAwait(false);
        await watching.ConfigureAwait(false);
        await _log.WriteLineAsync("Stopped serving.").ConfigureAwait(false);
    }

    private async Task PollAsync(OrleansFlowClient api, string[] queues, CancellationToken stop)
    {
        var wait = _options.PollWait > TimeSpan.FromSeconds(20) ? TimeSpan.FromSeconds(20)
            : _options.PollWait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : _options.PollWait;
        while (!stop.IsCancellationRequested)
        {
            int? free = _options.Limit is { } limit ? limit - _active.Count : null;
            if (free <= 0)
            {
                await _slotFreed.WaitAsync(stop).ConfigureAwait(false);
                continue;
            }

            IReadOnlyList<WorkerFlowRun> runs;
            try
            {
                runs = await api.GetScheduledFlowRunsAsync(_options.WorkPool,
                    GetScheduledFlowRuns.For(queues, free, wait, _name, DateTimeOffset.UtcNow), stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OrleansFlowApiException or JsonException
                || (e is TaskCanceledException && !stop.IsCancellationRequested))
            {
                await _log.WriteLineAsync($"Polling for runs failed: {e.Message}; trying again in 1 s.").ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
                continue;
            }

            foreach (var run in runs.Select(r => r.FlowRun))
            {
                var id = run.Id;
                var active = new ActiveRun(id);
                if (_active.TryAdd(id, active))
                {
                    active.Completion = Task.Run(() => RunOneAsync(api, run, active, stop), CancellationToken.None);
                }
            }
        }
    }

    private async Task RunOneAsync(OrleansFlowClient api, FlowRun run, ActiveRun active, CancellationToken stop)
    {
        var id = active.Id;
        try
        {
            if (run.DueTime - DateTimeOffset.UtcNow is { Ticks: > 0 } early)
            {
                await Task.Delay(early, stop).ConfigureAwait(false);
            }

            if (run.DeploymentId is not { } deploymentId || !_byId.TryGetValue(deploymentId, out var deployment))
            {
                await _log.WriteLineAsync($"Run {id} belongs to no served deployment; leaving it.").ConfigureAwait(false);
                return;
            }

            var pending = await api.SetFlowRunStateAsync(id, new StateCreate(StateType.Pending, "Pending"), cancellationToken: CancellationToken.None)
                .ConfigureAwait(false);
            if (pending.Status != OrchestrationStatus.Accept)
            {
                await _log.WriteLineAsync($"Run {id}: PENDING answered {pending.Status}; skipping it.").ConfigureAwait(false);
                return;
            }

            active.Started = true;
            var name = run.Name;
            // The run talks to the server its deployment was registered on, whatever scope RunAsync was called in.
            using var server = ServerConnection.Use(api.ApiUrl);
            await _log.WriteLineAsync($"Running flow run '{name}' ({id}) of '{deployment.FlowName}/{deployment.Name}'.").ConfigureAwait(false);
            try
            {
                await StoredRunInvocation.RunAsync(deployment.Flow, new CreatedRun(id, name), run.Parameters is { ValueKind: JsonValueKind.Object } p ? JsonObject.Create(p) : null,
                    active.Cancellation.Token)
                    .ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The flow's failure is recorded on its run; the server goes on with other runs.
            catch (Exception e)
#pragma warning restore CA1031
            {
                await _log.WriteLineAsync($"Flow run '{name}' ({id}) ended with {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            }

            // A run cancelled before it started, or whose flow finished without proposing a final state the rules took,
            // stays CANCELLING: cancellation ends as CANCELLED.
            if ((await api.ReadFlowRunAsync(id, CancellationToken.None).ConfigureAwait(false)).StateType == StateType.Cancelling)
            {
                await api.SetFlowRunStateAsync(id, new StateCreate(StateType.Cancelled, "Cancelled", "The flow run was cancelled."),
                    cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!active.Started)
        {
            // Stopped before the run was due: its claim lapses and another poller takes it.
        }
#pragma warning disable CA1031 // One run's trouble (an unreachable server) must not stop the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await _log.WriteLineAsync($"Run {id}: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
        }
        finally
        {
            _active.TryRemove(id, out _);
            active.Cancellation.Dispose();
            _slotFreed.Release();
        }
    }

    private async Task WatchAsync(OrleansFlowClient api, CancellationToken stop)
    {
        var nextHeartbeat = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(_options.CancellationCheckInterval);
        do
        {
            try
            {
                var started = _active.Values.Where(a => a.Started && !a.CancelRequested).Select(a => a.Id).ToArray();
                if (started.Length > 0)
                {
                    var cancelling = await api.ReadFlowRunsAsync(new FlowRunFilter
                    {
                        FlowRuns = new FlowRunConditions
                        {
                            Id = new AnyOf<Guid>(started),
                            State = new StateCondition(new AnyOf<StateType>([StateType.Cancelling, StateType.Cancelled])),
                        },
                        Limit = 200,
                    }, stop).ConfigureAwait(false);
                    foreach (var id in cancelling.Select(r => r.Id))
                    {
                        if (_active.TryGetValue(id, out var active))
                        {
                            await _log.WriteLineAsync($"Run {id} is cancelling: cancelling its token.").ConfigureAwait(false);
                            active.Cancel();
                        }
                    }
                }

                if (DateTimeOffset.UtcNow >= nextHeartbeat)
                {
                    nextHeartbeat = DateTimeOffset.UtcNow + _options.HeartbeatInterval;
                    await api.HeartbeatWorkerAsync(_options.WorkPool, _name, stop).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is HttpRequestException or OrleansFlowApiException or JsonException
                || (e is TaskCanceledException && !stop.IsCancellationRequested))
            {
                await _log.WriteLineAsync($"Checking runs failed: {e.Message}").ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
        while (await Tick(timer, stop).ConfigureAwait(false));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task StopRunsAsync(OrleansFlowClient api)
    {
        var running = _active.Values.ToArray();
        if (running.Length == 0)
        {
            return;
        }

        var all = Task.WhenAll(running.Select(r => r.Completion ?? Task.CompletedTask));
        if (Interrupted)
        {
            // The SDK reported the runs of this process CRASHED on the signal (as for any flow process); cancelling their
            // tokens now would turn them CANCELLED. Their bodies end with the process.
            await _log.WriteLineAsync($"Interrupted: {running.Length} run(s) in flight were reported CRASHED.").ConfigureAwait(false);
            return;
        }

        await _log.WriteLineAsync($"Waiting up to {_options.ShutdownGracePeriod.TotalSeconds:0.#} s for {running.Length} run(s).").ConfigureAwait(false);
        if (await Task.WhenAny(all, Task.Delay(_options.ShutdownGracePeriod)).ConfigureAwait(false) == all)
        {
            return;
        }

        foreach (var active in _active.Values.ToArray())
        {
            if (active.Started)
            {
                try
                {
                    await api.SetFlowRunStateAsync(active.Id, new StateCreate(StateType.Cancelling, "Cancelling", "The serving process is stopping."),
                        cancellationToken: CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or OrleansFlowApiException)
                {
                    await _log.WriteLineAsync($"Run {active.Id}: cannot propose CANCELLING: {e.Message}").ConfigureAwait(false);
                }
            }

            active.Cancel();
        }

        await Task.WhenAny(all, Task.Delay(_options.ShutdownGracePeriod)).ConfigureAwait(false);
    }

    private static string QueueName(Deployment deployment) =>
        $"{deployment.FlowName}:{deployment.Name}".Replace('/', '_').Replace('%', '_');

    private sealed class ActiveRun(Guid id)
    {
        public Guid Id { get; } = id;

        public CancellationTokenSource Cancellation { get; } = new();

        public Task? Completion { get; set; }

        public volatile bool Started;

        public volatile bool CancelRequested;

        public void Cancel()
        {
            CancelRequested = true;
            try
            {
                Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It ended meanwhile.
            }
        }
    }
}
