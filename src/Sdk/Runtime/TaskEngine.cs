using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using OrleansFlow.Client;
using OrleansFlow.Logging;
using OrleansFlow.Results;

namespace OrleansFlow.Runtime;

/// <summary>Drives one task run: create it PENDING, propose RUNNING and obey the answer (WAIT: wait and propose again;
/// REJECT into AwaitingRetry: wait until its time; REJECT into Cached: load the cached result; ABORT: stop), run the body,
/// propose COMPLETED or FAILED (a FAILED proposal answered with AwaitingRetry runs the body again).</summary>
internal static class TaskEngine
{
    private static readonly ConcurrentDictionary<Type, ICacheKeyPolicy> Policies = new();
    private static readonly ConcurrentDictionary<Type, IRetryCondition> Conditions = new();
    private static readonly StateCreate Pending = new(StateType.Pending, "Pending");

    public static async Task<T> RunAsync<T>(TaskDefinition task, Func<Task<T>> body, string[] names, object?[] args, Type resultType)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(body);
        var sink = FinalState.Take();
        var submission = Submission.Take();
        var flow = FlowRunContext.Current;
        if (flow is null || TaskRunContext.Current is not null)
        {
            // Outside a flow (or inside another task's body) a task is a plain call, as in Prefect.
            return await body().ConfigureAwait(false);
        }

        var options = task.Options;
        var client = flow.Client;
        var arguments = Invocation.Arguments(names, args);
        var taskKey = RunNames.TaskKey(task.Method);
        var taskName = options.Name ?? RunNames.Kebab(task.Method.Name);
        var dynamicKey = flow.NextDynamicKey(taskKey);
        var cacheKey = options.CacheKey is null ? null : Policy(options.CacheKey).CacheKey(task, arguments);
        DateTimeOffset? cacheExpiration = cacheKey is not null && options.CacheExpirationSeconds > 0
            ? DateTimeOffset.UtcNow.AddSeconds(options.CacheExpirationSeconds)
            : null;
        var persist = options.PersistResult || cacheKey is not null;
        var retryDelay = options.RetryDelaysSeconds is { Length: > 0 } delays ? JsonSerializer.SerializeToElement(delays)
            : options.RetryExponentialBackoffSeconds > 0 ? JsonSerializer.SerializeToElement(
                Enumerable.Range(0, Math.Max(1, options.Retries)).Select(n => options.RetryExponentialBackoffSeconds * Math.Pow(2, n)).ToArray())
            : JsonSerializer.SerializeToElement(options.RetryDelaySeconds);

        var spec = new TaskRunCreate
        {
            FlowRunId = flow.FlowRunId,
            Name = $"{taskName}-{dynamicKey}",
            TaskKey = taskKey,
            DynamicKey = dynamicKey,
            CacheKey = cacheKey,
            CacheExpiration = cacheExpiration,
            TaskVersion = options.Version,
            EmpiricalPolicy = new TaskRunPolicy
            {
                Retries = options.Retries,
                RetryDelay = retryDelay,
                RetryJitterFactor = options.RetryJitterFactor > 0 ? options.RetryJitterFactor : null,
            },
            Tags = options.Tags,
            TaskInputs = TaskInputs.For(names, args, flow, submission),
            State = Pending,
        };
        var running = new StateCreate(StateType.Running, "Running")
        {
            StateDetails = new StateDetails { CacheKey = cacheKey, RefreshCache = options.RefreshCache ? true : null },
        };

        CreatedRun run;
        OrchestrationResult? pending = null;
        if (submission?.UpstreamFailure is { } upstreamFailed)
        {
            var created = await client.Api.CreateTaskRunAsync(spec).ConfigureAwait(false);
            run = new CreatedRun(created.Id, created.Name);
            submission.TaskRunId = run.Id;
            EngineLog.TaskRunCreated(flow.Logger, run.Name, taskName);
            var notReady = await client.Api.SetTaskRunStateAsync(run.Id, new StateCreate(StateType.Pending, "NotReady", upstreamFailed.Message))
                .ConfigureAwait(false);
            EngineLog.Finished(new RunLogger(client.Logs, "orleansflow.task_runs", flow.FlowRunId, run.Id), Orchestration.Describe(notReady.State));
            sink?.Value = notReady.State;
            throw upstreamFailed;
        }

        if (cacheKey is not null || options.Tags is { Length: > 0 })
        {
            // What an earlier task of this flow gives back with its COMPLETED state (a cache entry to find, a concurrency
            // slot of a shared tag) must be there before this one proposes RUNNING.
            await flow.Reports.DrainAsync().ConfigureAwait(false);
        }

        // Create and propose RUNNING in one round trip; the answer is obeyed like any other below. A task run a retried flow
        // run completed earlier with a persisted result is found again and refused RUNNING: its result is reused (Cached path).
        var begun = await client.Api.BeginTaskRunAsync(spec, running).ConfigureAwait(false);
        run = new CreatedRun(begun.TaskRun.Id, begun.TaskRun.Name);
        pending = begun.OrchestrationResult;
        submission?.TaskRunId = run.Id;
        EngineLog.TaskRunCreated(flow.Logger, run.Name, taskName);
        var logger = new RunLogger(client.Logs, "orleansflow.task_runs", flow.FlowRunId, run.Id);

        var attempt = 0;
        while (true)
        {
            var answer = pending ?? await client.Api.SetTaskRunStateAsync(run.Id, running).ConfigureAwait(false);
            pending = null;
            if (answer.Status == OrchestrationStatus.Wait || Orchestration.IsRetry(answer))
            {
                await Orchestration.DelayAsync(answer, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (answer.Status == OrchestrationStatus.Abort)
            {
                throw new OrchestrationAbortedException($"Task run '{run.Name}' was aborted by the server: {answer.Details.Reason}");
            }

            if (answer.Status == OrchestrationStatus.Reject)
            {
                if (answer.State is { Type: StateType.Completed } cached)
                {
                    EngineLog.Finished(logger, Orchestration.Describe(cached));
                    var cachedValue = resultType == typeof(void) ? default! : await ResultStore.LoadAsync<T>(cached.Data).ConfigureAwait(false);
                    sink?.Value = cached;
                    flow.TrackResult(cachedValue, run.Id);
                    await RunHooks.RunAsync(options.OnCompletion, new RunHookContext(false, run.Id, run.Name, taskName, cached, null, cachedValue), logger)
                        .ConfigureAwait(false);
                    return cachedValue;
                }

                throw new OrchestrationAbortedException(
                    $"Task run '{run.Name}' cannot run: the server put it in {Orchestration.Describe(answer.State)} ({answer.Details.Reason}).");
            }

            attempt++;
            var (value, failure) = await InvokeAsync(body, options, run, taskName, attempt, logger).ConfigureAwait(false);
            if (failure is null)
            {
                var data = persist ? await ResultStore.PersistAsync(value, resultType == typeof(void) ? typeof(object) : resultType).ConfigureAwait(false)
                    : ResultStore.Unpersisted(resultType);
                var proposal = new StateCreate(StateType.Completed, "Completed", null, data)
                {
                    StateDetails = new StateDetails { CacheKey = cacheKey, CacheExpiration = cacheExpiration, UntrackableResult = !persist },
                };
                if (sink is null && submission is null && options.OnCompletion.Length == 0
                    && flow.Reports.TryStart(() => ReportCompletedAsync(client, run.Id, proposal, logger)))
                {
                    // Nothing here needs the answer: the flow goes on while the server commits it (see StateReports).
                    EngineLog.Finished(logger, "Completed()");
                    flow.TrackResult(value, run.Id);
                    return value!;
                }

                var completed = await client.Api.SetTaskRunStateAsync(run.Id, proposal).ConfigureAwait(false);
                EngineLog.Finished(logger, Orchestration.Describe(completed.State));
                sink?.Value = completed.State;
                flow.TrackResult(value, run.Id);
                await RunHooks.RunAsync(options.OnCompletion, new RunHookContext(false, run.Id, run.Name, taskName, completed.State, null, value), logger)
                    .ConfigureAwait(false);
                return value!;
            }

            EngineLog.Failed(logger, failure);
            var failed = Orchestration.FailureProposal("Task", failure);
            if (options.RetryCondition is { } condition && attempt <= options.Retries
                && !Conditions.GetOrAdd(condition, Create<IRetryCondition>).ShouldRetry(new RetryConditionContext(run.Id, run.Name, taskName, attempt, failure)))
            {
                EngineLog.NotRetried(logger, condition.Name);
                failed = failed with { StateDetails = new StateDetails { Retriable = false } };
            }

            var after = await client.Api.SetTaskRunStateAsync(run.Id, failed).ConfigureAwait(false);
            if (Orchestration.IsRetry(after))
            {
                EngineLog.WillRetry(logger, after.State!.Name, failed.Name!);
                await Orchestration.DelayAsync(after, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            EngineLog.Finished(logger, Orchestration.Describe(after.State));
            sink?.Value = after.State;
            await RunHooks.RunAsync(options.OnFailure, new RunHookContext(false, run.Id, run.Name, taskName, after.State, failure, null), logger)
                .ConfigureAwait(false);
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Sends a COMPLETED proposal whose answer nobody waits for; an answer other than ACCEPT is logged.</summary>
    private static async Task ReportCompletedAsync(ServerSession client, Guid taskRunId, StateCreate proposal, RunLogger logger)
    {
        var answer = await client.Api.SetTaskRunStateAsync(taskRunId, proposal).ConfigureAwait(false);
        if (answer.Status != OrchestrationStatus.Accept)
        {
            EngineLog.CompletionNotAccepted(logger, answer.Status.ToString(), Orchestration.Describe(answer.State));
        }
    }

    private static async Task<(T? Value, Exception? Failure)> InvokeAsync<T>(Func<Task<T>> body, FlowTaskAttribute options,
        CreatedRun run, string taskName, int attempt, RunLogger logger)
    {
        using var timeout = new CancellationTokenSource();
        var previous = TaskRunContext.Swap(new TaskRunContext(run.Id, run.Name, taskName, attempt, logger, timeout.Token));
        try
        {
            using (ConsoleCapture.Capture(options.LogPrints ? logger : null))
            {
                return (await Invocation.InvokeAsync(body, options.TimeoutSeconds, "Task", timeout).ConfigureAwait(false), null);
            }
        }
        catch (Exception e)
        {
            return (default, e);
        }
        finally
        {
            TaskRunContext.Swap(previous);
        }
    }

    private static ICacheKeyPolicy Policy(Type type) => Policies.GetOrAdd(type, Create<ICacheKeyPolicy>);

    private static TInterface Create<TInterface>(Type type) where TInterface : class =>
        Activator.CreateInstance(type) as TInterface
        ?? throw new ArgumentException($"{type.FullName} does not implement {typeof(TInterface).Name}.");
}
