using System.Reflection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Messaging;
using OrleansFlow.Grains;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;

namespace OrleansFlow.Silo.Runtime;

/// <summary>Sends a grain call again when the silo it went to is lost before answering (killed, or its connection
/// broke), if the method says a repeat is harmless (<see cref="IdempotentAttribute"/>): the gateway tier's requests then
/// survive a silo's death instead of failing until the cluster has voted it out. Orleans places the grain on a surviving
/// silo once the dead one is out of the membership (a few seconds with <see cref="SiloOptions.ProbeTimeout"/>), so the
/// call is tried again for up to <see cref="RetryFor"/>, with a growing pause. Calls that are not marked, or that fail for
/// any other reason, fail as before. A state sent again whose first copy was applied before the silo died is rejected by
/// the run as a duplicate (it already carries that transition id); the caller is then given what the first copy would
/// have answered: accepted, with the run's current state.</summary>
internal sealed partial class RetryAfterSiloLossFilter(ILogger<RetryAfterSiloLossFilter> logger) : IOutgoingGrainCallFilter
{
    /// <summary>How long after its first attempt began a call may still be tried again: 30 s, beyond a time-out
    /// (<see cref="ClientBuilderExtensions.ResponseTimeout"/>) plus a dead silo's detection (about 2-5 s with OrleansFlow's
    /// membership settings) and its grains' moving.</summary>
    public static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var started = DateTime.UtcNow;
        var pause = FirstPause;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await context.Invoke();
                if (attempt > 1 && context.Result is SetStateResult answer && AppliedByAnEarlierCopy(Arguments(context.Request), answer))
                {
                    context.Result = new SetStateResult(answer.Result with { Status = OrchestrationStatus.Accept, Details = OrchestrationDetails.Accepted }, Written: true);
                }

                return;
            }
            catch (Exception ex) when (IsSiloLoss(ex) && DateTime.UtcNow - started < RetryFor && MayRepeat(context))
            {
                LogRepeating(logger, context.InterfaceMethod?.Name ?? context.Request.GetMethodName(), context.TargetId, attempt, ex.GetType().Name);
                await Task.Delay(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    /// <summary>The call may not have reached a live activation: its silo or the connection to it went away, or no answer
    /// came in time (a call that was on its way to a silo when the silo was killed is not failed by the connection's end:
    /// it times out, after <see cref="ClientBuilderExtensions.ResponseTimeout"/> on a gateway).</summary>
    internal static bool IsSiloLoss(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or TimeoutException;

    /// <summary>True when the method is <see cref="IdempotentAttribute"/> and, if it asks for one, every proposed state
    /// among the call's arguments carries a transition id.</summary>
    internal static bool MayRepeat(IGrainCallContext context)
    {
        if (context.InterfaceMethod?.GetCustomAttribute<IdempotentAttribute>() is not { } idempotent)
        {
            return false;
        }

        if (!idempotent.WhenTransitionId)
        {
            return true;
        }

        var request = context.Request;
        var proposals = 0;
        for (var i = 0; i < request.GetArgumentCount(); i++)
        {
            if (request.GetArgument(i) is ProposedState proposed)
            {
                proposals++;
                if (proposed.StateDetails?.TransitionId is null)
                {
                    return false;
                }
            }
        }

        return proposals > 0;
    }

    /// <summary>True when the run rejected the state as a duplicate and its current state carries the transition id of
    /// the proposal: an earlier copy of this call was applied.</summary>
    internal static bool AppliedByAnEarlierCopy(IEnumerable<object?> arguments, SetStateResult answer) =>
        answer.Result is { Status: OrchestrationStatus.Reject, State.StateDetails.TransitionId: { } current }
        && arguments.Any(argument => argument is ProposedState { StateDetails.TransitionId: { } proposed } && proposed == current);

    private static IEnumerable<object?> Arguments(Orleans.Serialization.Invocation.IInvokable request)
    {
        for (var i = 0; i < request.GetArgumentCount(); i++)
        {
            yield return request.GetArgument(i);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "Sending {Method} to {Grain} again (attempt {Attempt}): its silo was lost before answering ({Exception})")]
    private static partial void LogRepeating(ILogger logger, string method, GrainId grain, int attempt, string exception);
}
