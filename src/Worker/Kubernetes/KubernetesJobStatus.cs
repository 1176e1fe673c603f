using System.Text.Json.Nodes;

namespace OrleansFlow.Worker.Kubernetes;

/// <summary>What a <c>batch/v1</c> Job's <c>status</c> says about its run.</summary>
/// <param name="Phase">Where the Job is.</param>
/// <param name="Message">Why it failed (the failed condition's reason and message), if it did.</param>
public sealed record KubernetesJobStatus(KubernetesJobPhase Phase, string? Message = null)
{
    /// <summary>Reads a Job (as <c>GET .../jobs/{name}</c> answers it): a <c>Complete</c> or <c>Failed</c> condition with
    /// status True, else <c>status.succeeded</c> / <c>status.failed</c> counts (with <c>backoffLimit: 0</c> one failed pod
    /// fails the run), else <c>status.active</c> (running) or nothing yet (pending).</summary>
    public static KubernetesJobStatus Of(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var status = job["status"] as JsonObject;
        foreach (var condition in (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (!string.Equals(Text(condition["status"]), "True", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            switch (Text(condition["type"]))
            {
                case "Complete":
                    return new(KubernetesJobPhase.Succeeded);
                case "Failed":
                    var reason = Text(condition["reason"]);
                    var message = Text(condition["message"]);
                    return new(KubernetesJobPhase.Failed, string.Join(": ", new[] { reason, message }.OfType<string>()) is { Length: > 0 } text ? text : "Job failed");
            }
        }

        if (Count(status?["succeeded"]) > 0)
        {
            return new(KubernetesJobPhase.Succeeded);
        }

        if (Count(status?["failed"]) > 0)
        {
            return new(KubernetesJobPhase.Failed, $"{Count(status?["failed"])} pod(s) failed");
        }

        return Count(status?["active"]) > 0 ? new(KubernetesJobPhase.Running) : new(KubernetesJobPhase.Pending);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int Count(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var n) ? n : 0;
}
