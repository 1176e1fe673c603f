using k8s.Models;

namespace OrleansFlow.Worker.Kubernetes;

/// <summary>What a <c>batch/v1</c> Job's <c>status</c> says about its run.</summary>
/// <param name="Phase">Where the Job is.</param>
/// <param name="Message">Why it failed (the failed condition's reason and message), if it did.</param>
public sealed record KubernetesJobStatus(KubernetesJobPhase Phase, string? Message = null)
{
    /// <summary>Reads a Job (as the API server answers it): a <c>Complete</c> or <c>Failed</c> condition with status True,
    /// else <c>status.succeeded</c> / <c>status.failed</c> counts (with <c>backoffLimit: 0</c> one failed pod fails the
    /// run), else <c>status.active</c> (running) or nothing yet (pending).</summary>
    public static KubernetesJobStatus Of(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var status = job.Status;
        foreach (var condition in status?.Conditions ?? [])
        {
            if (!string.Equals(condition.Status, "True", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            switch (condition.Type)
            {
                case "Complete":
                    return new(KubernetesJobPhase.Succeeded);
                case "Failed":
                    var text = string.Join(": ", new[] { condition.Reason, condition.Message }.Where(t => !string.IsNullOrEmpty(t)));
                    return new(KubernetesJobPhase.Failed, text.Length > 0 ? text : "Job failed");
            }
        }

        if (status?.Succeeded > 0)
        {
            return new(KubernetesJobPhase.Succeeded);
        }

        if (status?.Failed > 0)
        {
            return new(KubernetesJobPhase.Failed, $"{status.Failed} pod(s) failed");
        }

        return status?.Active > 0 ? new(KubernetesJobPhase.Running) : new(KubernetesJobPhase.Pending);
    }

    /// <summary>True when the Job has ended (succeeded or failed).</summary>
    public bool Ended => Phase is KubernetesJobPhase.Succeeded or KubernetesJobPhase.Failed;
}
