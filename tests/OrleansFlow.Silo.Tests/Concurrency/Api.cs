using System.Net;
using System.Text;
using System.Text.Json;

namespace OrleansFlow.Silo.Tests.Concurrency;

/// <summary>The few Prefect REST calls the process tests make, as raw JSON.</summary>
internal static class Api
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 400)
        {
            throw new HttpRequestException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    public static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task<Guid> CreateFlowAsync(HttpClient http, string name) =>
        (await PostAsync(http, "flows/", $$$"""{"name": "{{{name}}}"}""")).Body.GetProperty("id").GetGuid();

    public static async Task<Guid> CreateScheduledFlowRunAsync(HttpClient http, Guid flowId, string name) =>
        (await PostAsync(http, "flow_runs/", $$$"""{"flow_id": "{{{flowId}}}", "name": "{{{name}}}", "state": {"type": "SCHEDULED"}}""")).Body.GetProperty("id").GetGuid();

    /// <summary>Proposes a state; returns the HTTP status and the orchestration status (<c>ACCEPT</c>, <c>ABORT</c>...).</summary>
    public static async Task<(HttpStatusCode Http, string Status)> SetFlowRunStateAsync(HttpClient http, Guid runId, string type)
    {
        var (status, body) = await PostAsync(http, $"flow_runs/{runId}/set_state", $$$"""{"state": {"type": "{{{type}}}"}}""");
        return (status, body.GetProperty("status").GetString()!);
    }

    public static async Task<(HttpStatusCode Http, string Status)> SetTaskRunStateAsync(HttpClient http, Guid runId, string type)
    {
        var (status, body) = await PostAsync(http, $"task_runs/{runId}/set_state", $$$"""{"state": {"type": "{{{type}}}"}}""");
        return (status, body.GetProperty("status").GetString()!);
    }
}
