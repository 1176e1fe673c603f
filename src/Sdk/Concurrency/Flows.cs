using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFlow.Runtime;

namespace OrleansFlow;

/// <summary>The explicit SDK API beside the plain calls: concurrency (<c>Submit</c>, <c>Map</c>, <c>waitFor</c>),
/// the run logger, and which server to use.</summary>
/// <example><code>
/// [Flow]
/// public static int Totals(int[] numbers)
/// {
///     var doubled = Flows.Map(n => Double(n), numbers);           // one task run per number, run concurrently
///     var marker = Flows.Submit(() => Announce("done"), waitFor: doubled);
///     marker.Wait();
///     return doubled.Sum(f => f.Result());
/// }
/// </code></example>
public static partial class Flows
{
    /// <summary>The logger of the current run: the task run's inside a task body, else the flow run's, else a logger
    /// that drops everything (outside runs).</summary>
    public static ILogger Logger => TaskRunContext.Current?.Logger ?? FlowRunContext.Current?.Logger ?? NullLogger.Instance;

    /// <summary>The <see cref="FlowRunContext.CancellationToken"/> of the calling flow run (cancelled when the run is
    /// cancelled), or <see cref="CancellationToken.None"/> outside flows.</summary>
    public static CancellationToken CancellationToken => FlowRunContext.Current?.CancellationToken ?? CancellationToken.None;

    /// <summary>Runs the flows started in the calling async flow (until the scope is disposed) against the server at
    /// <paramref name="apiUrl"/> (e.g. <c>http://127.0.0.1:4200/api</c>), whatever <c>ORLEANSFLOW_API_URL</c> says.</summary>
    public static IDisposable UseApi(string apiUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiUrl);
        return ServerConnection.Use(new Uri(apiUrl));
    }

    /// <summary>Submits a task call to the flow's task runner and returns its future at once. The call is typically a
    /// lambda calling one <c>[FlowTask]</c> method: <c>Flows.Submit(() =&gt; Transform(raw))</c>. With the concurrent
    /// runner (the default) it runs on the thread pool, at most <see cref="FlowAttribute.MaxConcurrency"/> at a time; with
    /// the sequential runner it runs before <c>Submit</c> returns. The flow waits for its submitted tasks before it ends.</summary>
    /// <param name="call">The call to make.</param>
    /// <param name="waitFor">Futures that must finish first; if one failed, the call is not made and the future fails
    /// with an <see cref="UpstreamTaskFailedException"/>.</param>
    public static TaskFuture<T> Submit<T>(Func<T> call, IEnumerable<TaskFuture>? waitFor = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        call = Orchestrated(call);
        return SubmitCore(() => Task.FromResult(call()), waitFor);
    }

    /// <summary>Submits an asynchronous task call; see <see cref="Submit{T}(Func{T}, IEnumerable{TaskFuture}?)"/>.</summary>
    public static TaskFuture<T> Submit<T>(Func<Task<T>> call, IEnumerable<TaskFuture>? waitFor = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        return SubmitCore(Orchestrated(call), waitFor);
    }

    /// <summary>Submits a task call that returns nothing; see <see cref="Submit{T}(Func{T}, IEnumerable{TaskFuture}?)"/>.</summary>
    public static TaskFuture Submit(Action call, IEnumerable<TaskFuture>? waitFor = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        call = Orchestrated(call);
        return SubmitCore<object?>(() => { call(); return Task.FromResult<object?>(null); }, waitFor);
    }

    /// <summary>Submits an asynchronous task call that returns nothing.</summary>
    public static TaskFuture Submit(Func<Task> call, IEnumerable<TaskFuture>? waitFor = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        call = Orchestrated(call);
        return SubmitCore<object?>(async () => { await call().ConfigureAwait(false); return null; }, waitFor);
    }

    /// <summary>Submits one call per item (Prefect's <c>task.map</c>): <c>Flows.Map(n =&gt; Double(n), numbers)</c>.</summary>
    /// <returns>The futures, in the order of <paramref name="items"/>.</returns>
    public static IReadOnlyList<TaskFuture<TResult>> Map<T, TResult>(Func<T, TResult> call, IEnumerable<T> items, IEnumerable<TaskFuture>? waitFor = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(items);
        call = Orchestrated(call);
        var upstream = waitFor?.ToArray();
        return [.. items.Select(item => Submit(() => call(item), upstream))];
    }

    /// <summary>Submits one asynchronous call per item.</summary>
    public static IReadOnlyList<TaskFuture<TResult>> Map<T, TResult>(Func<T, Task<TResult>> call, IEnumerable<T> items,
        IEnumerable<TaskFuture>? waitFor = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(items);
        call = Orchestrated(call);
        var upstream = waitFor?.ToArray();
        return [.. items.Select(item => Submit(() => call(item), upstream))];
    }

    /// <summary>Submits one call per pair of items at equal positions (Prefect's <c>task.map(xs, ys)</c>).</summary>
    /// <exception cref="ArgumentException">The lists have different lengths.</exception>
    public static IReadOnlyList<TaskFuture<TResult>> Map<T1, T2, TResult>(Func<T1, T2, TResult> call, IEnumerable<T1> first,
        IEnumerable<T2> second, IEnumerable<TaskFuture>? waitFor = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        call = Orchestrated(call);
        T1[] xs = [.. first];
        T2[] ys = [.. second];
        if (xs.Length != ys.Length)
        {
            throw new ArgumentException($"Mapped arguments have different lengths: {xs.Length} and {ys.Length}.", nameof(second));
        }

        var upstream = waitFor?.ToArray();
        return [.. xs.Select((x, i) => Submit(() => call(x, ys[i]), upstream))];
    }

    /// <summary>Submits one call per item of <paramref name="first"/>, each with the same <paramref name="second"/>:
    /// <c>Flows.Map((x, factor) =&gt; Scale(x, factor), numbers, Unmapped.Of(10))</c>.</summary>
    public static IReadOnlyList<TaskFuture<TResult>> Map<T1, T2, TResult>(Func<T1, T2, TResult> call, IEnumerable<T1> first,
        Unmapped<T2> second, IEnumerable<TaskFuture>? waitFor = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(first);
        call = Orchestrated(call);
        var upstream = waitFor?.ToArray();
        return [.. first.ToArray().Select(x => Submit(() => call(x, second.Value), upstream))];
    }

    /// <summary>Submits one call per item of <paramref name="second"/>, each with the same <paramref name="first"/>.</summary>
    public static IReadOnlyList<TaskFuture<TResult>> Map<T1, T2, TResult>(Func<T1, T2, TResult> call, Unmapped<T1> first,
        IEnumerable<T2> second, IEnumerable<TaskFuture>? waitFor = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(second);
        call = Orchestrated(call);
        var upstream = waitFor?.ToArray();
        return [.. second.ToArray().Select(y => Submit(() => call(first.Value, y), upstream))];
    }

    private static TaskFuture<T> SubmitCore<T>(Func<Task<T>> call, IEnumerable<TaskFuture>? waitFor)
    {
        var submission = new Submission(waitFor?.ToArray() ?? []);
        var flow = FlowRunContext.Current;
        Task<T> work;
        if (flow is null || flow.Definition.Options.TaskRunner == TaskRunnerKind.Sequential)
        {
            try
            {
                work = Task.FromResult(RunSubmittedAsync(call, submission, null).GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                work = Task.FromException<T>(e);
            }
        }
        else
        {
            flow.EnsureHeadroom();
            work = Task.Run(() => RunSubmittedAsync(call, submission, flow.Slots));
        }

        var future = new TaskFuture<T>(work) { Submission = submission };
        flow?.Track(future);
        return future;
    }

    private static async Task<T> RunSubmittedAsync<T>(Func<Task<T>> call, Submission submission, SemaphoreSlim? slots)
    {
        // Upstream first, then a slot: a task never holds a slot while it waits for another task.
        submission.UpstreamFailure = await UpstreamFailureAsync(submission.WaitFor).ConfigureAwait(false);
        if (submission.UpstreamFailure is { } upstreamFailed)
        {
            if (FlowRunContext.Current is not null)
            {
                // The task engine records the task run as NotReady and throws without running the body.
                submission.Enter();
                await call().ConfigureAwait(false);
            }

            throw upstreamFailed;
        }

        if (slots is not null)
        {
            await slots.WaitAsync().ConfigureAwait(false);
        }

        try
        {
            submission.Enter();
            return await call().ConfigureAwait(false);
        }
        finally
        {
            slots?.Release();
        }
    }

    private static async Task<UpstreamTaskFailedException?> UpstreamFailureAsync(TaskFuture[] upstream)
    {
        foreach (var future in upstream)
        {
            try
            {
                await future.Completion.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any failure upstream keeps the call from running; it is reported as the cause.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var id = future.Submission?.TaskRunId is { } runId ? $"Upstream task run '{runId}'" : "An upstream task";
                return new UpstreamTaskFailedException($"{id} did not reach a 'COMPLETED' state: {e.GetType().Name}: {e.Message}", e);
            }
        }

        return null;
    }
}
