using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Cli.Commands;

/// <summary>The OrleansFlow REST API (Prefect 2.10 shapes) as the client commands use it: JSON in, JSON out, and every
/// failure turned into a <see cref="CliException"/> with one readable line.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _apiUrl;

    public ApiClient(string apiUrl)
    {
        _apiUrl = apiUrl.TrimEnd('/');
        if (!Uri.TryCreate(_apiUrl + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            throw new CliException($"the API URL '{apiUrl}' is not an http(s) URL", 2);
        }

        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The default API root: <c>ORLEANSFLOW_API_URL</c>, else <c>http://127.0.0.1:4200/api</c>.</summary>
    public static string DefaultUrl => Environment.GetEnvironmentVariable("ORLEANSFLOW_API_URL") is { Length: > 0 } url ? url : "http://127.0.0.1:4200/api";

    /// <summary>Sends a request; <paramref name="notFound"/> is the message for a 404. Returns the JSON body (null when empty).</summary>
    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, object? body, string notFound, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            throw new CliException($"cannot reach the server at {_apiUrl}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"the server at {_apiUrl} did not answer in time");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new CliException(notFound);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new CliException($"the server refused the request ({(int)response.StatusCode}): {Reason(text)}");
            }

            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
    }

    public Task<JsonNode?> GetAsync(string path, string notFound, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, notFound, cancellationToken);

    public Task<JsonNode?> PostAsync(string path, object body, string notFound, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, notFound, cancellationToken);

    public void Dispose() => _http.Dispose();

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
