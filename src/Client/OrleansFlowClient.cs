using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using OrleansFlow.Client.Json;

namespace OrleansFlow.Client;

/// <summary>The one typed client of the OrleansFlow server (the Prefect 2 REST API plus OrleansFlow's extensions: task-run
/// begin, run heartbeats, the long poll). Every call takes a <see cref="CancellationToken"/>; calls the server did not
/// process are retried by <see cref="TransientRetryHandler"/>; an error answer throws <see cref="OrleansFlowApiException"/>
/// with the status and body. Thread-safe.</summary>
/// <remarks>Create it with <see cref="Create(Uri, string?)"/>, or register it with
/// <see cref="OrleansFlowClientServiceCollectionExtensions.AddOrleansFlowClient"/> to get it from <c>IHttpClientFactory</c>.
/// The <see cref="HttpClient"/> handed to the constructor must have the API root (ending in <c>/</c>) as its
/// <see cref="HttpClient.BaseAddress"/>.</remarks>
public sealed partial class OrleansFlowClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private bool _beginUnsupported;

    /// <summary>Wraps <paramref name="http"/> (from <c>IHttpClientFactory</c>, or your own), whose base address is the API root.</summary>
    /// <exception cref="ArgumentException"><paramref name="http"/> has no base address.</exception>
    public OrleansFlowClient(HttpClient http) : this(http, ownsHttp: false)
    {
    }

    private OrleansFlowClient(HttpClient http, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs the API root (e.g. http://127.0.0.1:4200/api/) as its BaseAddress.", nameof(http));
        }

        if (!http.BaseAddress.AbsolutePath.EndsWith('/'))
        {
            http.BaseAddress = new Uri(http.BaseAddress + "/");
        }

        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <summary>The API root this client talks to (ends in <c>/</c>).</summary>
    public Uri ApiUrl => _http.BaseAddress!;

    /// <summary>A client that owns its connections: a pooled handler with <see cref="TransientRetryHandler"/> in front.</summary>
    /// <param name="apiUrl">The API root, e.g. <c>http://127.0.0.1:4200/api</c>.</param>
    /// <param name="userAgent">The User-Agent product; <c>orleansflow-client</c> by default.</param>
    public static OrleansFlowClient Create(Uri apiUrl, string? userAgent = null) =>
        Create(new OrleansFlowClientOptions { ApiUrl = apiUrl, UserAgent = userAgent ?? "orleansflow-client" });

    /// <summary>A client that owns its connections, with the settings of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The API URL is not an absolute http(s) URL.</exception>
    public static OrleansFlowClient Create(OrleansFlowClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new TransientRetryHandler(options)
        {
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 64 },
        };
        var http = new HttpClient(handler, disposeHandler: true);
        Configure(http, options);
        return new OrleansFlowClient(http, ownsHttp: true);
    }

    /// <summary>Sets the base address, time-out and headers (the API key as a bearer token, when there is one) of <paramref name="http"/> from <paramref name="options"/> (what
    /// <see cref="Create(OrleansFlowClientOptions)"/> and the <c>IHttpClientFactory</c> registration do).</summary>
    /// <exception cref="ArgumentException">The API URL is not an absolute http(s) URL.</exception>
    public static void Configure(HttpClient http, OrleansFlowClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        var url = options.ApiUrl;
        if (url is null || !url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The API URL '{url}' is not an absolute http(s) URL.", nameof(options));
        }

        http.BaseAddress = new Uri(url.ToString().TrimEnd('/') + "/");
        http.Timeout = options.Timeout;
        http.DefaultRequestHeaders.Add("x-prefect-api-version", "0.8.4");
        http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        if (options.ApiKey is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
        }
    }

    /// <summary>Sends any call and answers the JSON body as a node (null when empty): for the API's routes that have no
    /// record here yet (the CLI's listings). Errors throw as for every other call.</summary>
    /// <exception cref="OrleansFlowApiException">The server answered an error status.</exception>
    public async Task<JsonNode?> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, Json.MediaType);
        }

        var bytes = await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
        return bytes.Length == 0 ? null : JsonNode.Parse(bytes);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private Task<TResult> PostAsync<TBody, TResult>(string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> resultType,
        CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, bodyType, resultType, cancellationToken);

    private async Task<TResult> GetAsync<TResult>(string path, JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return Read(await SendCoreAsync(request, cancellationToken).ConfigureAwait(false), resultType, request);
    }

    private async Task<TResult> SendAsync<TBody, TResult>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType,
        JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, body, bodyType);
        return Read(await SendCoreAsync(request, cancellationToken).ConfigureAwait(false), resultType, request);
    }

    private async Task SendNoResultAsync<TBody>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType,
        CancellationToken cancellationToken)
    {
        using var request = Request(method, path, body, bodyType);
        await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static HttpRequestMessage Request<TBody>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType) =>
        new(method, path) { Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, bodyType)) { Headers = { ContentType = Json } } };

    private static TResult Read<TResult>(byte[] bytes, JsonTypeInfo<TResult> type, HttpRequestMessage request)
    {
        try
        {
            return (bytes.Length == 0 ? default : JsonSerializer.Deserialize(bytes, type))
                ?? throw new OrleansFlowApiException($"{request.Method} {request.RequestUri} answered no {typeof(TResult).Name}.");
        }
        catch (JsonException e)
        {
            throw new OrleansFlowApiException($"{request.Method} {request.RequestUri} answered a body that is not a {typeof(TResult).Name}: {e.Message}", e);
        }
    }

    private async Task<byte[]> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = Encoding.UTF8.GetString(bytes);
            throw new OrleansFlowApiException(
                $"{request.Method} {new Uri(_http.BaseAddress!, request.RequestUri!)} answered {(int)response.StatusCode} {response.StatusCode}: {text}",
                response.StatusCode, text);
        }

        return response.StatusCode == HttpStatusCode.NoContent ? [] : bytes;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static ClientJsonContext Types => ClientJsonContext.Default;
}
