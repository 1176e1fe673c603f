using System.Text.Json;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Grains.Tests;

public sealed class TaskRunRulesRetriesTests
{
    private static TaskRunPolicy Policy(int retries, string delay, double? jitter = null) =>
        new() { Retries = retries, RetryDelay = Make.Json(delay), RetryJitterFactor = jitter };

    [Fact]
    public void Propose_FailedWithRetriesLeft_WritesAwaitingRetry()
    {
        // 02-task-retries: retries=3, retry_delay_seconds=1: REJECT with SCHEDULED "AwaitingRetry" due in 1 s (HTTP 201).
        var run = Runs.Task(StateType.Running) with { RunCount = 1, StartTime = At.Entered, EmpiricalPolicy = Policy(3, "1") };
        var failure = Make.Proposal(StateType.Failed, message: "Task run encountered an exception: RuntimeError: transient failure on attempt 1\n", data: Make.UnpersistedResult);

        var result = TaskRunRules.Propose(run, failure, Contexts.Task());

        var written = Expect.Written(result.Transition, OrchestrationStatus.Reject, StateType.Scheduled, "AwaitingRetry");
        Assert.Equal("Retrying", result.Transition.Result.Details.Reason);
        Assert.Equal(failure.Message, written.Message);
        Assert.Equal(JsonValueKind.Object, written.Data!.Value.ValueKind);
        Assert.Equal(At.Now.AddSeconds(1), written.StateDetails.ScheduledTime);
        Assert.Equal(Runs.TaskRunId, written.StateDetails.TaskRunId);
        var updated = result.Transition.Updated!;
        Assert.Equal(At.Now.AddSeconds(1), updated.NextScheduledStartTime);
        Assert.Equal(10, updated.TotalRunTime);
        Assert.Null(updated.EndTime);
        Assert.Equal(1, updated.RunCount);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 4)]
    public void Propose_FailedWithoutRetriesLeft_AcceptsFailed(int retries, int runCount)
    {
        var run = Runs.Task(StateType.Running) with { RunCount = runCount, StartTime = At.Entered, EmpiricalPolicy = Policy(retries, "1") };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Failed), Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Failed);
        Assert.Equal(At.Now, result.Transition.Updated!.EndTime);
    }

    [Fact]
    public void Propose_FailedMarkedNotRetriable_AcceptsFailedDespiteRetriesLeft()
    {
        // The task's retry condition refused this failure: the SDK proposes FAILED with retriable=false.
        var run = Runs.Task(StateType.Running) with { RunCount = 1, StartTime = At.Entered, EmpiricalPolicy = Policy(3, "1") };
        var failure = Make.Proposal(StateType.Failed) with { StateDetails = new StateDetails { Retriable = false } };

        var result = TaskRunRules.Propose(run, failure, Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Failed);
        Assert.Equal(At.Now, result.Transition.Updated!.EndTime);
    }

    [Fact]
    public void Propose_FailedWithoutRetryPolicy_AcceptsFailed()
    {
        var result = TaskRunRules.Propose(Runs.Task(StateType.Running) with { RunCount = 1 }, Make.Proposal(StateType.Failed, "TimedOut"), Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Failed, "TimedOut");
    }

    [Theory]
    [InlineData(1, 2.0)]
    [InlineData(2, 5.0)]
    [InlineData(3, 30.0)]
    [InlineData(6, 30.0)]
    public void Propose_FailedWithDelayList_UsesDelayForAttemptAndRepeatsLast(int runCount, double expectedDelay)
    {
        var run = Runs.Task(StateType.Running) with { RunCount = runCount, EmpiricalPolicy = Policy(10, "[2, 5, 30]") };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Failed), Contexts.Task());

        Assert.Equal(At.Now.AddSeconds(expectedDelay), result.Transition.Written!.StateDetails.ScheduledTime);
    }

    [Fact]
    public void Propose_FailedWithJitter_SchedulesWithinClampedBounds()
    {
        var run = Runs.Task(StateType.Running) with { RunCount = 1, EmpiricalPolicy = Policy(1, "10", jitter: 0.5) };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Failed), Contexts.Task(jitterSample: 0.25));

        var delay = (result.Transition.Written!.StateDetails.ScheduledTime!.Value - At.Now).TotalSeconds;
        Assert.InRange(delay, 6.3, 15.0);
        Assert.NotEqual(10.0, delay, 3);
    }

    [Theory]
    [InlineData(0.0, 6.30)]
    [InlineData(0.999999, 15.0)]
    public void RetryDelaySeconds_JitterSampleAtEdges_HitsClampBounds(double sample, double expected)
    {
        var delay = TaskRunRules.RetryDelaySeconds(Policy(1, "10", jitter: 0.5), 1, sample);

        Assert.Equal(expected, delay, 1);
    }

    [Fact]
    public void RetryDelaySeconds_SamplesAcrossRange_IncreaseMonotonically()
    {
        var policy = Policy(1, "10", jitter: 0.3);

        var delays = Enumerable.Range(0, 10).Select(i => TaskRunRules.RetryDelaySeconds(policy, 1, i / 10.0)).ToArray();

        Assert.Equal(delays.Order(), delays);
        Assert.All(delays, d => Assert.InRange(d, 0, 13.0));
    }

    [Theory]
    [InlineData("0", 0.5)]
    [InlineData("null", 0.5)]
    [InlineData("[]", 0.5)]
    [InlineData("7", null)]
    public void RetryDelaySeconds_NoJitterOrNoDelay_ReturnsBaseDelay(string delay, double? jitter)
    {
        var expected = delay == "7" ? 7 : 0;

        Assert.Equal(expected, TaskRunRules.RetryDelaySeconds(Policy(1, delay, jitter), 1, 0.9));
    }

    [Fact]
    public void Propose_RunningFromAwaitingRetry_RenamesRetrying()
    {
        var run = Runs.Task(StateType.Scheduled, "AwaitingRetry", Make.ScheduledAt(At.Now.AddSeconds(-0.1))) with { RunCount = 1 };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Running, "Retrying");
        Assert.Equal(2, result.Transition.Updated!.RunCount);
    }

    [Fact]
    public void Propose_RunningAgainFromOtherState_RenamesRerunning()
    {
        var run = Runs.Task(StateType.Pending) with { RunCount = 1 };

        var result = TaskRunRules.Propose(run, Make.Proposal(StateType.Running), Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Running, "Rerunning");
    }

    [Fact]
    public void Propose_FirstRunning_KeepsName()
    {
        var result = TaskRunRules.Propose(Runs.Task(StateType.Pending), Make.Proposal(StateType.Running), Contexts.Task());

        Expect.Accepted(result.Transition, StateType.Running, "Running");
    }

    [Fact]
    public void Propose_TaskRetrySequence_MatchesRecordedTraffic()
    {
        // 02-task-retries: Running, Failed->AwaitingRetry, Running->WAIT 1, Running->"Retrying", ... Completed on attempt 3.
        var flowRun = Runs.RunningFlow();
        TaskRun Step(TaskRun run, StateType type, double at, OrchestrationStatus expected, string? name = null)
        {
            var result = TaskRunRules.Propose(run, Make.Proposal(type), Contexts.Task(flowRun) with { Now = At.Now.AddSeconds(at) });
            Assert.Equal(expected, result.Transition.Result.Status);
            if (name is not null)
            {
                Assert.Equal(name, result.Transition.Result.State!.Name);
            }

            return result.Transition.Updated ?? run;
        }

        var run = Runs.Task(StateType.Pending) with { EmpiricalPolicy = Policy(3, "1") };
        run = Step(run, StateType.Running, 0.0, OrchestrationStatus.Accept, "Running");
        run = Step(run, StateType.Failed, 0.1, OrchestrationStatus.Reject, "AwaitingRetry");
        run = Step(run, StateType.Running, 0.15, OrchestrationStatus.Wait, "AwaitingRetry");
        run = Step(run, StateType.Running, 1.2, OrchestrationStatus.Accept, "Retrying");
        run = Step(run, StateType.Failed, 1.3, OrchestrationStatus.Reject, "AwaitingRetry");
        run = Step(run, StateType.Running, 2.4, OrchestrationStatus.Accept, "Retrying");
        run = Step(run, StateType.Completed, 2.5, OrchestrationStatus.Accept, "Completed");

        Assert.Equal(3, run.RunCount);
        Assert.Equal(1, run.FlowRunRunCount);
        Assert.Equal(0.3, run.TotalRunTime, 6);
        Assert.Equal(At.Now, run.StartTime);
        Assert.Equal(At.Now.AddSeconds(2.5), run.EndTime);
        Assert.Null(run.NextScheduledStartTime);
    }
}
