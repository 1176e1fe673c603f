using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary>How the client commands call the API through <see cref="OrleansFlowClient"/>: JSON in, JSON out, and every
/// failure turned into a <see cref="CliException"/> with one readable line.</summary>
internal static class ApiCalls
{
    private static readonly JsonSerializerOptions BodyOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The default API root: <c>ORLEANSFLOW_API_URL</c>, else <c>http://127.0.0.1:4200/api</c>.</summary>
    public static string DefaultUrl => Environment.GetEnvironmentVariable("ORLEANSFLOW_API_URL") is { Length: > 0 } url ? url : "http://127.0.0.1:4200/api";

    /// <summary>The client of <paramref name="apiUrl"/>, sending <paramref name="apiKey"/> (default: <c>ORLEANSFLOW_API_KEY</c>,
    /// else <c>PREFECT_API_KEY</c>, else none).</summary>
    /// <exception cref="CliException">The URL is not an http(s) URL (exit code 2).</exception>
    public static OrleansFlowClient Connect(string apiUrl, string? apiKey = null)
    {
        if (!Uri.TryCreate(apiUrl.TrimEnd('/') + "/", UriKind.Absolute, out var root) || root.Scheme is not ("http" or "https"))
        {
            throw new CliException($"the API URL '{apiUrl}' is not an http(s) URL", 2);
        }

        return OrleansFlowClient.Create(new OrleansFlowClientOptions
        {
            ApiUrl = root,
            Timeout = TimeSpan.FromSeconds(30),
            UserAgent = "orleansflow-cli",
            ApiKey = apiKey is { Length: > 0 } ? apiKey : OrleansFlowClientOptions.DefaultApiKey(),
        });
    }

    /// <summary>Sends a request; <paramref name="notFound"/> is the message for a 404. Returns the JSON body (null when empty).</summary>
    public static async Task<JsonNode?> CallAsync(this OrleansFlowClient api, HttpMethod method, string path, object? body, string notFound,
        CancellationToken cancellationToken)
    {
        var node = body as JsonNode ?? (body is null ? null : JsonSerializer.SerializeToNode(body, body.GetType(), BodyOptions));
        try
        {
            return await api.SendJsonAsync(method, path, node, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            throw new CliException($"cannot reach the server at {api.ApiUrl.ToString().TrimEnd('/')}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the server at {api.ApiUrl.ToString().TrimEnd('/')} did not answer in time");
        }
        catch (OrleansFlowApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new CliException(notFound);
        }
        catch (OrleansFlowApiException e)
        {
            throw new CliException($"the server refused the request ({(int)e.StatusCode}): {Reason(e.Body ?? "")}");
        }
    }

    public static Task<JsonNode?> GetJsonAsync(this OrleansFlowClient api, string path, string notFound, CancellationToken cancellationToken) =>
        api.CallAsync(HttpMethod.Get, path, null, notFound, cancellationToken);

    public static Task<JsonNode?> PostJsonAsync(this OrleansFlowClient api, string path, object body, string notFound, CancellationToken cancellationToken) =>
        api.CallAsync(HttpMethod.Post, path, body, notFound, cancellationToken);

    /// <summary>The readable part of an error body: Prefect's <c>detail</c>, or the field errors of a 422.</summary>
    private static string Reason(string text)
    {
        try
        {
            var node = JsonNode.Parse(text);
            if (node?["detail"] is JsonValue detail)
            {
                return detail.ToString();
            }

            if (node?["exception_detail"] is JsonArray errors && errors.Count > 0)
            {
                return string.Join("; ", errors.Select(e => e?["loc"] is JsonArray loc
                    ? $"{string.Join('.', loc.Select(l => l?.ToString()))}: {e["msg"]}"
                    : e?["msg"]?.ToString() ?? e?.ToJsonString()));
            }

            return node?["exception_message"]?.ToString() ?? OneLine(text);
        }
        catch (JsonException)
        {
            return OneLine(text);
        }
    }

    private static string OneLine(string text) => text.Length == 0 ? "no detail" : text.ReplaceLineEndings(" ").Trim();
}
