using System.Runtime.ExceptionServices;
using System.Text.Json;
using OrleansFlow.Client;
using OrleansFlow.Logging;
using OrleansFlow.Results;

namespace OrleansFlow.Runtime;

/// <summary>Drives one flow run: upsert the flow, create the run PENDING with its parameters (for a subflow: a parent
/// task run in the calling flow run first, as Prefect does), propose RUNNING and obey the answer, run the body with the
/// run as ambient context, wait for the tasks it submitted, propose COMPLETED or FAILED (a FAILED proposal answered
/// with AwaitingRetry runs the body again), and send the run's logs.</summary>
internal static class FlowEngine
{
    /// <summary>A run that already exists (a worker's, see <see cref="FlowRunEntry"/>): the next top-level flow run started
    /// in this async context drives it instead of creating one.</summary>
    internal static readonly AsyncLocal<CreatedRun?> AdoptedRun = new();

    /// <summary>With <see cref="AdoptedRun"/>: a token whose cancellation cancels the adopted run (e.g. its server stops).</summary>
    internal static readonly AsyncLocal<CancellationToken> AdoptedCancellation = new();

    /// <summary>A retry delay of 0 seconds (a subflow's parent task run is never retried itself).</summary>
    private static readonly JsonElement NoDelay = JsonDocument.Parse("0").RootElement.Clone();

    public static async Task<T> RunAsync<T>(FlowDefinition flow, Func<Task<T>> body, string[] names, object?[] args, Type resultType)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(body);
        var sink = FinalState.Take();
        var submission = Submission.Take();
        var options = flow.Options;
        if (options.LogPrints)
        {
            ConsoleCapture.Install();
        }

        var parent = FlowRunContext.Current;
        var client = parent?.Client ?? await ServerConnection.GetClientAsync().ConfigureAwait(false);
        var arguments = Invocation.Arguments(names, args);
        var flowName = options.Name ?? RunNames.Kebab(flow.Method.Name);
        var adopted = parent is null ? AdoptedRun.Value : null;
        var adoptedCancellation = adopted is null ? CancellationToken.None : AdoptedCancellation.Value;
        AdoptedRun.Value = null;
        AdoptedCancellation.Value = CancellationToken.None;
        var flowId = adopted is null ? await client.UpsertFlowAsync(flowName).ConfigureAwait(false) : Guid.Empty;

        Guid? parentTaskRunId = null;
        var details = StateDetails.Empty;
        if (parent is not null)
        {
            var taskKey = RunNames.TaskKey(flow.Method);
            var parentTask = await client.Api.CreateTaskRunAsync(new TaskRunCreate
            {
                FlowRunId = parent.FlowRunId,
                TaskKey = taskKey,
                DynamicKey = parent.NextDynamicKey(taskKey),
                TaskVersion = options.Version,
                EmpiricalPolicy = new TaskRunPolicy { RetryDelay = NoDelay },
                TaskInputs = TaskInputs.For(names, args, parent, submission),
                State = new StateCreate(StateType.Pending, "Pending"),
            }).ConfigureAwait(false);
            submission?.TaskRunId = parentTask.Id;
            parentTaskRunId = parentTask.Id;
            details = new StateDetails { FlowRunId = parent.FlowRunId, TaskRunId = parentTask.Id };
        }

        var run = adopted ?? Created(await client.Api.CreateFlowRunAsync(new FlowRunCreate
        {
            FlowId = flowId,
            Name = options.RunName is null ? null : RunNames.Format(options.RunName, arguments),
            State = new StateCreate(StateType.Pending, "Pending") { StateDetails = details },
            FlowVersion = options.Version,
            Parameters = JsonSerializer.SerializeToElement(arguments, ResultStore.ValueOptions),
            ParentTaskRunId = parentTaskRunId,
            EmpiricalPolicy = new FlowRunPolicy { Retries = options.Retries, RetryDelay = options.RetryDelaySeconds },
            Tags = options.Tags,
        }).ConfigureAwait(false));
        if (parent is not null)
        {
            EngineLog.SubflowRunCreated(parent.Logger, run.Name, flowName);
        }

        var logger = new RunLogger(client.Logs, "orleansflow.flow_runs", run.Id, null);
        var context = new FlowRunContext(client, flow, run.Id, run.Name, flowName, arguments, logger, parent);
        var previousFlow = FlowRunContext.Swap(context);
        var previousTask = TaskRunContext.Swap(null);
        using var cancelWithCaller = adoptedCancellation.Register(static c => ((CancellationTokenSource)c!).Cancel(), context.Cancellation);
        using var crashOnStop = ProcessStop.Watch(context, run, options, client, logger);
        try
        {
            EngineLog.FlowRunBeginning(logger, run.Name, flowName);
            var value = await DriveAsync(body, resultType, options, client, run, context, logger, sink).ConfigureAwait(false);
            if (parentTaskRunId is { } parentTaskRun)
            {
                parent!.TrackResult(value, parentTaskRun);
            }

            return value;
        }
        catch (Exception e) when (e is HttpRequestException or OrleansFlowApiException && !crashOnStop.Crashed)
        {
            // The engine lost the server (the body's own exceptions never get here): the run crashed.
            await ProcessStop.CrashAsync(context, run, options, client, logger,
                $"Execution was interrupted by an unexpected exception: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            throw;
        }
        finally
        {
            FlowRunContext.Swap(previousFlow);
            TaskRunContext.Swap(previousTask);

            // The caller's cancellation stops reaching the run before the run's source goes: a cancel that races the end of
            // the run would otherwise cancel a disposed source and throw into the caller's Cancel.
            cancelWithCaller.Dispose();
            context.Cancellation.Dispose();
            context.ReleaseHeadroom();
            await client.Logs.FlushAsync().ConfigureAwait(false);
        }
    }

    private static async Task<T> DriveAsync<T>(Func<Task<T>> body, Type resultType, FlowAttribute options, ServerSession client,
        CreatedRun run, FlowRunContext context, RunLogger logger, System.Runtime.CompilerServices.StrongBox<State?>? sink)
    {
        while (true)
        {
            var answer = await client.Api.SetFlowRunStateAsync(run.Id, new StateCreate(StateType.Running, "Running")).ConfigureAwait(false);
            if (answer.Status == OrchestrationStatus.Wait || Orchestration.IsRetry(answer))
            {
                await Orchestration.DelayAsync(answer, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (answer.Status != OrchestrationStatus.Accept)
            {
                throw new OrchestrationAbortedException(
                    $"Flow run '{run.Name}' cannot run: {answer.Status} ({answer.Details.Reason}), state {Orchestration.Describe(answer.State)}.");
            }

            T value;
            Exception? failure = null;
            await using (RunWatch.Start(client, run.Id, context.Cancellation, logger).ConfigureAwait(false))
            using (var timeout = new CancellationTokenSource())
            using (ConsoleCapture.Capture(options.LogPrints ? logger : null))
            {
                try
                {
                    value = await Invocation.InvokeAsync(body, options.TimeoutSeconds, "Flow", timeout).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    value = default!;
                    failure = e;
                }

                await context.WaitForSubmittedAsync().ConfigureAwait(false);
                await context.Reports.DrainAsync().ConfigureAwait(false);
            }

            if (ProcessStop.Reported(run.Id))
            {
                // The process is stopping and its stop signal already ended the run (CRASHED): nothing more is proposed.
                throw new OperationCanceledException($"Flow run '{run.Name}' stopped with its process.", failure);
            }

            if (context.CancellationToken.IsCancellationRequested && failure is not null)
            {
                var cancelled = await client.Api.SetFlowRunStateAsync(run.Id,
                    new StateCreate(StateType.Cancelled, "Cancelled", "Flow run was cancelled while running.")).ConfigureAwait(false);
                await CancelledAsync(options, run, context, logger, sink, cancelled.State, failure).ConfigureAwait(false);
            }

            if (failure is null)
            {
                var data = options.PersistResult
                    ? await ResultStore.PersistAsync(value, resultType == typeof(void) ? typeof(object) : resultType).ConfigureAwait(false)
                    : ResultStore.Unpersisted(resultType);
                var completed = await client.Api.SetFlowRunStateAsync(run.Id, new StateCreate(StateType.Completed, "Completed", null, data))
                    .ConfigureAwait(false);
                EngineLog.Finished(logger, Orchestration.Describe(completed.State));
                sink?.Value = completed.State;
                await RunHooks.RunAsync(options.OnCompletion,
                    new RunHookContext(true, run.Id, run.Name, context.FlowName, completed.State, null, value), logger).ConfigureAwait(false);
                return value;
            }

            EngineLog.Failed(logger, failure);
            var failed = Orchestration.FailureProposal("Flow", failure);
            var after = await client.Api.SetFlowRunStateAsync(run.Id, failed).ConfigureAwait(false);
            if (after.State?.Type == StateType.Cancelling)
            {
                // Cancelled while running (e.g. from the UI): the run ends CANCELLED, as the only way out of CANCELLING.
                after = await client.Api.SetFlowRunStateAsync(run.Id,
                    new StateCreate(StateType.Cancelled, "Cancelled", "Flow run was cancelled while running.")).ConfigureAwait(false);
                await CancelledAsync(options, run, context, logger, sink, after.State, failure).ConfigureAwait(false);
            }

            if (Orchestration.IsRetry(after))
            {
                EngineLog.WillRetry(logger, after.State!.Name, failed.Name!);
                await Orchestration.DelayAsync(after, CancellationToken.None).ConfigureAwait(false);
                context.ResetDynamicKeys();
                continue;
            }

            EngineLog.Finished(logger, Orchestration.Describe(after.State));
            sink?.Value = after.State;
            await RunHooks.RunAsync(options.OnFailure,
                new RunHookContext(true, run.Id, run.Name, context.FlowName, after.State, failure, null), logger).ConfigureAwait(false);
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private static CreatedRun Created(FlowRun run) => new(run.Id, run.Name);

    /// <summary>The run ended CANCELLED: runs the cancellation hooks and throws <see cref="OperationCanceledException"/>
    /// (with what stopped the body as its inner exception).</summary>
    private static async Task CancelledAsync(FlowAttribute options, CreatedRun run, FlowRunContext context, RunLogger logger,
        System.Runtime.CompilerServices.StrongBox<State?>? sink, State? state, Exception failure)
    {
        EngineLog.Finished(logger, Orchestration.Describe(state));
        sink?.Value = state;
        await RunHooks.RunAsync(options.OnCancellation, new RunHookContext(true, run.Id, run.Name, context.FlowName, state, failure, null), logger)
            .ConfigureAwait(false);
        throw new OperationCanceledException($"Flow run '{run.Name}' was cancelled.", failure, context.CancellationToken);
    }
}
