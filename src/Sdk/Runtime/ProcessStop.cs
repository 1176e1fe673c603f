using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using OrleansFlow.Client;

namespace OrleansFlow.Runtime;

/// <summary>What happens to the flow runs of this process when it is told to stop (SIGTERM, SIGINT/Ctrl+C, SIGQUIT):
/// each run still going is proposed CRASHED (or CANCELLED when it was being cancelled) and its <c>OnCrashed</c> (or
/// <c>OnCancellation</c>) hooks run before the process goes on stopping, as Prefect's engine does on an interrupt. A
/// process killed outright (SIGKILL) cannot do this; the server (the run's grain) then crashes the run when its heartbeats stop.</summary>
internal static class ProcessStop
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);
    private static readonly ConcurrentDictionary<Guid, Registration> Active = new();
    private static readonly Lazy<PosixSignalRegistration[]> Signals = new(() =>
        [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT }.Select(Register).OfType<PosixSignalRegistration>()]);

    /// <summary>Registers a run until the returned registration is disposed.</summary>
    public static Registration Watch(FlowRunContext context, CreatedRun run, FlowAttribute options, ServerSession client, ILogger logger)
    {
        _ = Signals.Value;
        var registration = new Registration(context, run, options, client, logger);
        Active[run.Id] = registration;
        return registration;
    }

    /// <summary>True when a stop signal already reported the run's final state: the engine proposes nothing more for it.</summary>
    public static bool Reported(Guid runId) => Active.TryGetValue(runId, out var registration) && registration.Crashed;

    /// <summary>Proposes CRASHED for the run (CANCELLED if it was being cancelled) and runs the matching hooks.</summary>
    public static async Task CrashAsync(FlowRunContext context, CreatedRun run, FlowAttribute options, ServerSession client,
        ILogger logger, string message)
    {
        try
        {
            var cancelling = (await client.Api.ReadFlowRunAsync(run.Id).ConfigureAwait(false)).StateType == StateType.Cancelling;
            var proposal = cancelling
                ? new StateCreate(StateType.Cancelled, "Cancelled", "Flow run was cancelled while running.")
                : new StateCreate(StateType.Crashed, "Crashed", message);
            var answer = await client.Api.SetFlowRunStateAsync(run.Id, proposal).ConfigureAwait(false);
            EngineLog.Finished(logger, Orchestration.Describe(answer.State));
            await RunHooks.RunAsync(cancelling ? options.OnCancellation : options.OnCrashed,
                new RunHookContext(true, run.Id, run.Name, context.FlowName, answer.State, null, null), logger).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OrleansFlowApiException or TaskCanceledException)
        {
            // The server is out of reach: the server crashes the run once its heartbeats stop.
            EngineLog.NotReported(logger, e.Message);
        }
    }

    private static PosixSignalRegistration? Register(PosixSignal signal)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, OnSignal);
        }
        catch (PlatformNotSupportedException)
        {
            // A platform without this signal: runs there are crashed by the server if the process stops.
            return null;
        }
    }

    private static void OnSignal(PosixSignalContext signal)
    {
        var runs = Active.Values.ToArray();
        if (runs.Length == 0)
        {
            return;
        }

        var message = $"Execution was interrupted: the flow run process received {signal.Signal}.";
        var crashes = runs.Select(r => r.CrashAsync(message)).ToArray();
        Task.WhenAll(crashes).WaitAsync(Budget).ContinueWith(static _ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
        ServerConnection.FlushAll();
    }

    /// <summary>One run registered with <see cref="Watch"/>.</summary>
    internal sealed class Registration(FlowRunContext context, CreatedRun run, FlowAttribute options, ServerSession client, ILogger logger)
        : IDisposable
    {
        private int _crashed;

        /// <summary>True once the run was reported crashed by a stop signal.</summary>
        public bool Crashed => Volatile.Read(ref _crashed) == 1;

        /// <summary>Reports the run crashed, once.</summary>
        public Task CrashAsync(string message) => Interlocked.Exchange(ref _crashed, 1) == 0
            ? ProcessStop.CrashAsync(context, run, options, client, logger, message)
            : Task.CompletedTask;

        /// <inheritdoc/>
        public void Dispose() => Active.TryRemove(new KeyValuePair<Guid, Registration>(run.Id, this));
    }
}
