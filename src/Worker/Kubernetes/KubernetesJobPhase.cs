namespace OrleansFlow.Worker.Kubernetes;

/// <summary>Where a flow run's Job is.</summary>
public enum KubernetesJobPhase
{
    /// <summary>Created; no pod running yet.</summary>
    Pending,

    /// <summary>A pod runs.</summary>
    Running,

    /// <summary>Its pod ended with exit code 0.</summary>
    Succeeded,

    /// <summary>Its pod failed (non-zero exit, evicted, deadline exceeded, image pull failure that made the Job fail).</summary>
    Failed,
}
