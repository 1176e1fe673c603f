using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Grains.WorkPools;

namespace OrleansFlow.Worker;

/// <summary>What every worker does with a claimed run before starting its infrastructure.</summary>
internal static class JobConfiguration
{
    private static readonly string[] CommonVariables = ["command", "env", "working_dir", "image", "namespace", "name", "labels",
        "image_pull_policy", "service_account_name", "finished_job_ttl"];

    /// <summary>Waits until the run's scheduled time (a claim may hand out runs due a little later).</summary>
    public static async Task WaitUntilDueAsync(JsonObject run, CancellationToken cancellationToken)
    {
        var due = run["state"]?["state_details"]?["scheduled_time"] ?? run["next_scheduled_start_time"] ?? run["expected_start_time"];
        if (due?.GetValue<string>() is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            && time - DateTimeOffset.UtcNow is { Ticks: > 0 } early)
        {
            await Task.Delay(early, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The run's job configuration: <c>JobTemplate.Render</c> of the pool's <c>base_job_template</c> with the
    /// deployment's <c>infra_overrides</c>. The usual variables (command, env, working_dir; image, namespace, ... for
    /// Kubernetes) apply even when the template does not map them.</summary>
    public static async Task<JsonObject> RenderAsync(WorkerApi api, string pool, JsonObject run, CancellationToken cancellationToken)
    {
        JsonElement? overrides = null;
        if (run["deployment_id"]?.GetValue<string>() is { Length: > 0 } deploymentId)
        {
            var deployment = await api.GetDeploymentAsync(Guid.Parse(deploymentId), cancellationToken).ConfigureAwait(false);
            overrides = Element(deployment["infra_overrides"]);
        }

        var poolJson = await api.GetWorkPoolAsync(pool, cancellationToken).ConfigureAwait(false);
        var template = Element(poolJson["base_job_template"]);
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

    private static JsonElement? Element(JsonNode? node) =>
        node is null ? null : JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
}
