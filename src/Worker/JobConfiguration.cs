using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Worker;

/// <summary>What every worker does with a claimed run before starting its infrastructure.</summary>
internal static class JobConfiguration
{
    private static readonly string[] CommonVariables = ["command", "env", "working_dir", "image", "namespace", "name", "labels",
        "image_pull_policy", "service_account_name", "finished_job_ttl"];

    /// <summary>Waits until the run's scheduled time (a claim may hand out runs due a little later).</summary>
    public static async Task WaitUntilDueAsync(FlowRun run, CancellationToken cancellationToken)
    {
        if (run.DueTime - DateTimeOffset.UtcNow is { Ticks: > 0 } early)
        {
            await Task.Delay(early, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The run's job configuration: <c>JobTemplate.Render</c> of the pool's <c>base_job_template</c> with the
    /// deployment's <c>infra_overrides</c>. The usual variables (command, env, working_dir; image, namespace, ... for
    /// Kubernetes) apply even when the template does not map them.</summary>
    public static async Task<JsonObject> RenderAsync(OrleansFlowClient api, string pool, FlowRun run, CancellationToken cancellationToken)
    {
        JsonElement? overrides = null;
        if (run.DeploymentId is { } deploymentId)
        {
            overrides = (await api.ReadDeploymentAsync(deploymentId, cancellationToken).ConfigureAwait(false)).InfraOverrides;
        }

        var template = (await api.ReadWorkPoolAsync(pool, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The work pool '{pool}' does not exist.")).BaseJobTemplate;
        var configuration = JobTemplate.Render(template, overrides);
        foreach (var (name, value) in JobTemplate.Variables(template, overrides))
        {
            if (CommonVariables.Contains(name) && configuration[name] is null)
            {
                configuration[name] = value?.DeepClone();
            }
        }

        return configuration;
    }
}
