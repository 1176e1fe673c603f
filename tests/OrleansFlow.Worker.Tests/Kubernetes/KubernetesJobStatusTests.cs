using k8s;
using k8s.Models;
using OrleansFlow.Client;
using OrleansFlow.Worker.Kubernetes;

namespace OrleansFlow.Worker.Tests.Kubernetes;

/// <summary>Job status as the API server reports it (JSON shaped as <c>kubectl get job -o json</c> prints it, read into the
/// client's model) mapped to what the worker does with the run.</summary>
public sealed class KubernetesJobStatusTests
{
    private static V1Job Job(string status) => KubernetesJson.Deserialize<V1Job>($$"""
        { "apiVersion": "batch/v1", "kind": "Job", "metadata": { "name": "orleansflow-x", "namespace": "flows" }, "status": {{status}} }
        """);

    public static TheoryData<string, KubernetesJobPhase, string?> Statuses => new()
    {
        { "{}", KubernetesJobPhase.Pending, null },
        { """{ "active": 1, "startTime": "2026-11-22T04:00:00Z", "ready": 0 }""", KubernetesJobPhase.Running, null },
        {
            """
            { "conditions": [ { "type": "Complete", "status": "True", "lastProbeTime": "2026-11-22T04:01:00Z" } ],
              "startTime": "2026-11-22T04:00:00Z", "completionTime": "2026-11-22T04:01:00Z", "succeeded": 1 }
            """, KubernetesJobPhase.Succeeded, null
        },
        {
            """
            { "conditions": [ { "type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded" },
                              { "type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit" } ],
              "startTime": "2026-11-22T04:00:00Z", "failed": 1 }
            """, KubernetesJobPhase.Failed, "BackoffLimitExceeded: Job has reached the specified backoff limit"
        },
        {
            """{ "conditions": [ { "type": "Failed", "status": "True", "reason": "DeadlineExceeded" } ], "active": 0 }""",
            KubernetesJobPhase.Failed, "DeadlineExceeded"
        },
        { """{ "conditions": [ { "type": "Failed", "status": "False" } ], "active": 1 }""", KubernetesJobPhase.Running, null },
        { """{ "failed": 1 }""", KubernetesJobPhase.Failed, "1 pod(s) failed" },
        { """{ "succeeded": 1 }""", KubernetesJobPhase.Succeeded, null },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Of_JobStatus_MapsToItsPhase(string status, KubernetesJobPhase phase, string? message)
    {
        var result = KubernetesJobStatus.Of(Job(status));

        Assert.Equal(phase, result.Phase);
        Assert.Equal(message, result.Message);
    }

    [Theory]
    [InlineData(StateType.Running, KubernetesJobPhase.Running, WatchAction.Keep)]
    [InlineData(StateType.Pending, KubernetesJobPhase.Pending, WatchAction.Keep)]
    [InlineData(StateType.Running, KubernetesJobPhase.Failed, WatchAction.Crash)]
    [InlineData(StateType.Pending, KubernetesJobPhase.Failed, WatchAction.Crash)]
    [InlineData(StateType.Running, KubernetesJobPhase.Succeeded, WatchAction.Crash)]
    [InlineData(StateType.Completed, KubernetesJobPhase.Succeeded, WatchAction.Forget)]
    [InlineData(StateType.Failed, KubernetesJobPhase.Failed, WatchAction.Forget)]
    [InlineData(StateType.Crashed, KubernetesJobPhase.Running, WatchAction.Keep)]
    [InlineData(StateType.Cancelling, KubernetesJobPhase.Running, WatchAction.Cancel)]
    [InlineData(StateType.Cancelling, KubernetesJobPhase.Succeeded, WatchAction.Cancel)]
    public void Decide_RunStateAndJobPhase_GivesTheWatchAction(StateType state, KubernetesJobPhase phase, WatchAction action)
    {
        var (result, message) = KubernetesWorker.Decide(state, new KubernetesJobStatus(phase, phase == KubernetesJobPhase.Failed ? "BackoffLimitExceeded" : null));

        Assert.Equal(action, result);
        if (action == WatchAction.Crash)
        {
            Assert.Contains("Kubernetes Job", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Decide_JobGone_CrashesARunWithoutFinalStateAndForgetsAFinishedOne()
    {
        Assert.Equal(WatchAction.Crash, KubernetesWorker.Decide(StateType.Running, null).Action);
        Assert.Equal(WatchAction.Forget, KubernetesWorker.Decide(StateType.Completed, null).Action);
    }
}
