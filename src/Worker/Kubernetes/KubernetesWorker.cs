using System.Collections.Concurrent;
using System.Text.Json;
using k8s;
using k8s.Models;
using OrleansFlow.Client;

namespace OrleansFlow.Worker.Kubernetes;

/// <summary>The worker of a <c>kubernetes</c> work pool: for each claimed run it proposes PENDING, renders the run's job
/// configuration (<see cref="KubernetesJob.Render"/>), creates the <c>batch/v1</c> Job and records
/// <c>infrastructure_pid = namespace:job</c>. Each watch reads the Jobs: a failed Job whose run has no final state makes
/// the run CRASHED (and its RUNNING task runs, releasing their slots), as does a Job that completed or vanished without
/// one; a run gone CANCELLING has its Job deleted (pods included) and becomes CANCELLED. Between watches it keeps a
/// Kubernetes watch open on the Jobs of each namespace it created one in, and completes
/// <see cref="InfrastructureExited"/> as soon as one of its Jobs ends or is deleted, so the host watches at once.</summary>
public sealed class KubernetesWorker : IWorker
{
    private static readonly TimeSpan WatchRetryDelay = TimeSpan.FromSeconds(2);

    private readonly WorkerOptions _options;
    private readonly OrleansFlowClient _api;
    private readonly KubernetesApi _kubernetes;
    private readonly TextWriter _log;
    private readonly ConcurrentDictionary<Guid, (string Namespace, string Name)> _jobs = new();
    private readonly Dictionary<string, Task> _watches = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="options">The worker's settings.</param>
    /// <param name="api">The OrleansFlow API (the caller disposes it).</param>
    /// <param name="kubernetes">The Kubernetes API (the caller disposes it, after this worker).</param>
    /// <param name="log">Where the worker writes what it does.</param>
    public KubernetesWorker(WorkerOptions options, OrleansFlowClient api, KubernetesApi kubernetes, TextWriter? log = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _api = api ?? throw new ArgumentNullException(nameof(api));
        _kubernetes = kubernetes ?? throw new ArgumentNullException(nameof(kubernetes));
        _log = log ?? TextWriter.Null;
    }

    /// <summary>The runs whose Job this worker watches.</summary>
    public IReadOnlyCollection<Guid> RunningRuns => [.. _jobs.Keys];

    /// <inheritdoc/>
    public int? FreeSlots => _options.Limit is { } limit ? Math.Max(0, limit - _jobs.Count) : null;

    /// <summary>Completes when the Kubernetes watch sees one of this worker's Jobs end or go (from then on a new task is
    /// handed out).</summary>
    public Task InfrastructureExited => Volatile.Read(ref _ended).Task;

    /// <inheritdoc/>
    public Task HeartbeatOnceAsync(CancellationToken cancellationToken = default) =>
        _api.HeartbeatWorkerAsync(_options.Pool, _options.Name, cancellationToken);

    /// <inheritdoc/>
    public Task<int> PollOnceAsync(TimeSpan wait, CancellationToken cancellationToken = default) =>
        RunClaims.ClaimAndSubmitAsync(_api, _options, FreeSlots, wait, SubmitAsync, cancellationToken);

    /// <inheritdoc/>
    public async Task WatchOnceAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (id, (ns, name)) in _jobs.ToArray())
        {
            var job = await _kubernetes.ReadJobAsync(ns, name, cancellationToken).ConfigureAwait(false);
            var state = (await _api.ReadFlowRunAsync(id, cancellationToken).ConfigureAwait(false)).StateType;
            var verdict = Decide(state, job is null ? null : KubernetesJobStatus.Of(job));
            switch (verdict.Action)
            {
                case WatchAction.Cancel:
                    await _log.WriteLineAsync($"Run {id} is cancelling: deleting Job {ns}/{name}.").ConfigureAwait(false);
                    await _kubernetes.DeleteJobAsync(ns, name, cancellationToken).ConfigureAwait(false);
                    await RunClaims.EndAsync(_api, id, StateType.Cancelled, "The worker deleted the run's Kubernetes Job.", cancellationToken).ConfigureAwait(false);
                    await TaskRunCleanup.EndRunningAsync(_api, _log, id, StateType.Cancelled, "The flow run was cancelled while this task run was running.", cancellationToken).ConfigureAwait(false);
                    _jobs.TryRemove(id, out _);
                    break;
                case WatchAction.Crash:
                    await _log.WriteLineAsync($"Run {id}: {verdict.Message}; reporting CRASHED.").ConfigureAwait(false);
                    await RunClaims.EndAsync(_api, id, StateType.Crashed, verdict.Message ?? "The flow run's Kubernetes Job ended.", cancellationToken).ConfigureAwait(false);
                    await TaskRunCleanup.EndRunningAsync(_api, _log, id, StateType.Crashed, "The flow run's pod ended while this task run was running.", cancellationToken).ConfigureAwait(false);
                    _jobs.TryRemove(id, out _);
                    break;
                case WatchAction.Forget:
                    _jobs.TryRemove(id, out _);
                    break;
            }
        }
    }

    /// <summary>What a watch does with a run in <paramref name="state"/> whose Job is <paramref name="job"/> (null: gone).</summary>
    public static (WatchAction Action, string? Message) Decide(StateType? state, KubernetesJobStatus? job)
    {
        if (state == StateType.Cancelling)
        {
            return (WatchAction.Cancel, null);
        }

        var final = state is { } known && known.IsTerminal();
        return job?.Phase switch
        {
            null => final ? (WatchAction.Forget, null) : (WatchAction.Crash, "The flow run's Kubernetes Job disappeared without the run reporting a final state."),
            KubernetesJobPhase.Failed => final ? (WatchAction.Forget, null) : (WatchAction.Crash, $"The flow run's Kubernetes Job failed ({job.Message})."),
            KubernetesJobPhase.Succeeded => final ? (WatchAction.Forget, null) : (WatchAction.Crash, "The flow run's Kubernetes Job completed without the run reporting a final state."),
            _ => (WatchAction.Keep, null),
        };
    }

    /// <summary>Stops the Kubernetes watches and forgets the Jobs (they keep running).</summary>
    public void Dispose()
    {
        // Cancelled, not disposed: the watch tasks may still read its token while they unwind.
        _stop.Cancel();
        _jobs.Clear();
    }

    private async Task<bool> SubmitAsync(FlowRun run, CancellationToken cancellationToken)
    {
        var id = run.Id;
        if (!await RunClaims.ProposePendingAsync(_api, id, _log, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        V1Job created;
        try
        {
            var configuration = await JobConfiguration.RenderAsync(_api, _options.Pool, run, cancellationToken).ConfigureAwait(false);
            var manifest = KubernetesJob.Render(configuration, id, _options.ApiUrl, _kubernetes.Namespace ?? KubernetesJob.DefaultNamespace);
            var (job, dropped) = KubernetesJob.ToModel(manifest);
            foreach (var field in dropped)
            {
                await _log.WriteLineAsync($"Run {id}: the job manifest's {field} is not a field of a batch/v1 Job this client knows; it is left out.").ConfigureAwait(false);
            }

            created = await _kubernetes.CreateJobAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or HttpRequestException or JsonException or InvalidOperationException or ArgumentException)
        {
            await _log.WriteLineAsync($"Run {id}: cannot create its Kubernetes Job: {ex.Message}").ConfigureAwait(false);
            await RunClaims.EndAsync(_api, id, StateType.Crashed, $"The worker could not create the flow run's Kubernetes Job: {ex.Message}",
                cancellationToken).ConfigureAwait(false);
            return false;
        }

        var pid = KubernetesJob.Pid(created);
        var parts = pid.Split(':', 2);
        _jobs[id] = (parts[0], parts[1]);
        StartWatch(parts[0]);
        await _log.WriteLineAsync($"Run {id}: created Job {parts[0]}/{parts[1]}.").ConfigureAwait(false);
        await _api.UpdateFlowRunAsync(id, new FlowRunUpdate { InfrastructurePid = pid }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void StartWatch(string ns)
    {
        lock (_watches)
        {
            if (!_stop.IsCancellationRequested && !_watches.ContainsKey(ns))
            {
                var stop = _stop.Token;
                _watches[ns] = Task.Run(() => WatchAsync(ns, stop), CancellationToken.None);
            }
        }
    }

    // One namespace's watch for as long as the worker lives. It only hurries the next WatchOnceAsync (which reads each Job
    // itself), so a Job that ends while the watch is down is still seen, at the host's interval.
    private async Task WatchAsync(string ns, CancellationToken stop)
    {
        string? version = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, job) in _kubernetes.WatchJobsAsync(ns, version, stop).ConfigureAwait(false))
                {
                    version = job.Metadata?.ResourceVersion ?? version;
                    if (type is WatchEventType.Bookmark || job.Metadata?.Name is not { } name || !Watched(ns, name))
                    {
                        continue;
                    }

                    if (type is WatchEventType.Deleted || KubernetesJobStatus.Of(job).Ended)
                    {
                        Interlocked.Exchange(ref _ended, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                    }
                }

                // The API server ended the watch (its timeout, or a restart): go on from the last version seen.
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // 410 Gone (the version is too old) or a broken connection: start over from the Jobs as they are now.
                await _log.WriteLineAsync($"Kubernetes watch of Jobs in {ns}: {ex.Message}; watching again.").ConfigureAwait(false);
                version = null;
                try
                {
                    await Task.Delay(WatchRetryDelay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private bool Watched(string ns, string name) => _jobs.Values.Any(job => job.Namespace == ns && job.Name == name);
}
