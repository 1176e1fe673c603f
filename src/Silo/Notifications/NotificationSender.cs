using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OrleansFlow.Silo.Blocks;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Notifications;

/// <summary>Sends notifications through the notification blocks (<c>slack-webhook</c>, <c>ms-teams-webhook</c>,
/// <c>custom-webhook</c>, <c>email</c>) and calls <c>webhook</c> blocks: what an automation's <c>send-notification</c>
/// and <c>call-webhook</c> actions do once their templates are rendered. Registered as a singleton by
/// <see cref="NotificationServiceCollectionExtensions.AddOrleansFlowNotifications"/>; safe to call from grains.
/// Every remote failure is a <see cref="NotificationResult"/>, never an exception; transient ones are tried again as
/// <see cref="NotificationOptions"/> says.</summary>
public sealed partial class NotificationSender
{
    /// <summary>The <c>IHttpClientFactory</c> client that checks TLS certificates.</summary>
    public const string HttpClientName = "orleansflow-notifications";

    /// <summary>The <c>IHttpClientFactory</c> client for blocks with <c>verify: false</c> (no certificate check).</summary>
    public const string InsecureHttpClientName = "orleansflow-notifications-insecure";

    /// <summary>The slugs of the blocks <see cref="SendAsync"/> sends through.</summary>
    public static IReadOnlySet<string> NotificationSlugs { get; } = new HashSet<string>(StringComparer.Ordinal) { "slack-webhook", "ms-teams-webhook", "custom-webhook", "email" };

    /// <summary>The slug of the block <see cref="CallWebhookAsync"/> calls.</summary>
    public const string WebhookSlug = "webhook";

    private readonly OrleansFlowSilo _silo;
    private readonly IHttpClientFactory _http;
    private readonly NotificationOptions _options;
    private readonly ILogger<NotificationSender> _logger;

    /// <summary>Creates the sender.</summary>
    /// <param name="silo">The runtime whose block documents are read (secrets opened with its keys).</param>
    /// <param name="http">Where HTTP clients come from (<see cref="HttpClientName"/>, <see cref="InsecureHttpClientName"/>).</param>
    /// <param name="logger">Failures are logged at Warning, without URLs or secrets.</param>
    /// <param name="options">Timeouts and retries; <see cref="NotificationOptions.Default"/> when null.</param>
    public NotificationSender(OrleansFlowSilo silo, IHttpClientFactory http, ILogger<NotificationSender> logger, NotificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(logger);
        _silo = silo;
        _http = http;
        _logger = logger;
        _options = options ?? NotificationOptions.Default;
    }

    /// <summary>Sends <paramref name="subject"/> and <paramref name="body"/> (already rendered) through the notification
    /// block document <paramref name="blockDocumentId"/>.</summary>
    /// <returns>The result; <see cref="NotificationResult.Ok"/> false with the reason when the document does not exist,
    /// is not a notification block, is misconfigured, or the remote end failed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<NotificationResult> SendAsync(Guid blockDocumentId, string subject, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(body);
        var document = await new BlockDocumentCatalog(_silo).GetAsync(blockDocumentId, includeSecrets: true, cancellationToken).ConfigureAwait(false);
        var slug = document?.BlockType?.Slug;
        if (document is null || !NotificationSlugs.Contains(slug!))
        {
            return NotificationResult.Failed(document is null
                ? $"Block document {blockDocumentId} not found"
                : $"Block document {blockDocumentId} is a '{slug}' block, not a notification block ({string.Join(", ", NotificationSlugs)})");
        }

        NotificationResult result;
        try
        {
            result = slug switch
            {
                "slack-webhook" => await SlackAsync(document.Data, subject, body, cancellationToken).ConfigureAwait(false),
                "ms-teams-webhook" => await TeamsAsync(document.Data, subject, body, cancellationToken).ConfigureAwait(false),
                "custom-webhook" => await CustomAsync(document.Data, subject, body, cancellationToken).ConfigureAwait(false),
                _ => await EmailAsync(document.Data, subject, body, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (ArgumentException e)
        {
            result = NotificationResult.Failed($"The {slug} block is not valid: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException && e is InvalidOperationException or NotSupportedException or FormatException)
        {
            result = NotificationResult.Failed($"Sending through the {slug} block failed: {e.Message}");
        }

        Log(blockDocumentId, slug!, result);
        return result;
    }

    /// <summary>Calls the <c>webhook</c> block document <paramref name="blockDocumentId"/> with its method, URL and
    /// headers, and <paramref name="payload"/> (already rendered) as the body: sent as <c>application/json</c> when it
    /// parses as JSON, else as <c>text/plain</c> (a <c>Content-Type</c> in the block's headers wins); no body when null
    /// or empty.</summary>
    /// <returns>The result, with the status code and the start of the response body.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<NotificationResult> CallWebhookAsync(Guid blockDocumentId, string? payload, CancellationToken cancellationToken)
    {
        var document = await new BlockDocumentCatalog(_silo).GetAsync(blockDocumentId, includeSecrets: true, cancellationToken).ConfigureAwait(false);
        if (document?.BlockType?.Slug != WebhookSlug)
        {
            return NotificationResult.Failed(document is null
                ? $"Block document {blockDocumentId} not found"
                : $"Block document {blockDocumentId} is a '{document.BlockType?.Slug}' block, not a webhook block");
        }

        NotificationResult result;
        try
        {
            var data = document.Data;
            var headers = BlockData.Map(data, "headers");
            var mediaType = string.IsNullOrEmpty(payload) ? null : IsJson(payload) ? "application/json" : "text/plain";
            result = await HttpAsync(Method(data), Url(data, "url"), headers, () => mediaType is null ? null : new StringContent(payload!, Encoding.UTF8, mediaType),
                _options.Timeout, BlockData.Bool(data, "allow_private_urls") ?? true, BlockData.Bool(data, "verify") ?? true, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            result = NotificationResult.Failed($"The webhook block is not valid: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException && e is InvalidOperationException or NotSupportedException or FormatException)
        {
            result = NotificationResult.Failed($"Calling the webhook failed: {e.Message}");
        }

        Log(blockDocumentId, WebhookSlug, result);
        return result;
    }

    private Task<NotificationResult> SlackAsync(JsonObject data, string subject, string body, CancellationToken cancellationToken) =>
        PostJsonAsync(data, NotificationPayloads.Slack(subject, body), cancellationToken);

    private Task<NotificationResult> TeamsAsync(JsonObject data, string subject, string body, CancellationToken cancellationToken) =>
        PostJsonAsync(data, NotificationPayloads.Teams(subject, body, BlockData.String(data, "notify_type") ?? "info",
            BlockData.Bool(data, "include_image") ?? true, BlockData.Bool(data, "wrap") ?? true), cancellationToken);

    private Task<NotificationResult> PostJsonAsync(JsonObject data, JsonObject payload, CancellationToken cancellationToken)
    {
        var json = payload.ToJsonString();
        return HttpAsync(HttpMethod.Post, Url(data, "url"), new Dictionary<string, string>(), () => new StringContent(json, Encoding.UTF8, "application/json"),
            _options.Timeout, BlockData.Bool(data, "allow_private_urls") ?? true, verify: true, cancellationToken);
    }

    /// <summary>Prefect's custom webhook: <c>{{subject}}</c>, <c>{{body}}</c>, <c>{{name}}</c> and the secrets' keys
    /// substituted in url, params, json_data, form_data, headers and cookies.</summary>
    private Task<NotificationResult> CustomAsync(JsonObject data, string subject, string body, CancellationToken cancellationToken)
    {
        if (data["json_data"] is not null && data["form_data"] is not null)
        {
            throw new ArgumentException("both json_data and form_data are set; use one");
        }

        var values = BlockData.Map(data, "secrets");
        values["subject"] = subject;
        values["body"] = body;
        values["name"] = BlockData.String(data, "name") ?? "";
        var url = NotificationPayloads.Substitute(BlockData.String(data, "url") ?? throw new ArgumentException("url is required"), values);
        var query = BlockData.Map(data, "params").Select(p =>
            Uri.EscapeDataString(NotificationPayloads.Substitute(p.Key, values)) + "=" + Uri.EscapeDataString(NotificationPayloads.Substitute(p.Value, values))).ToList();
        if (query.Count > 0)
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", query);
        }

        var headers = BlockData.Map(data, "headers").ToDictionary(p => NotificationPayloads.Substitute(p.Key, values), p => NotificationPayloads.Substitute(p.Value, values), StringComparer.OrdinalIgnoreCase);
        var cookies = BlockData.Map(data, "cookies").Select(p => $"{NotificationPayloads.Substitute(p.Key, values)}={NotificationPayloads.Substitute(p.Value, values)}").ToList();
        if (cookies.Count > 0)
        {
            headers["Cookie"] = string.Join("; ", cookies);
        }

        Func<HttpContent?> content = data["json_data"] is JsonNode json
            ? () => new StringContent(NotificationPayloads.Substitute(json, values)!.ToJsonString(), Encoding.UTF8, "application/json")
            : data["form_data"] is JsonObject form
                ? () => new FormUrlEncodedContent(BlockData.Map(new JsonObject { ["f"] = NotificationPayloads.Substitute(form, values) }, "f"))
                : BlockData.String(data, "form_data") is { } raw
                    ? () => Raw(NotificationPayloads.Substitute(raw, values))
                    : () => null;
        var timeout = BlockData.Number(data, "timeout") is { } seconds and > 0 and < 3600 ? TimeSpan.FromSeconds(seconds) : _options.Timeout;
        return HttpAsync(Method(data), CheckUrl(url, "url"), headers, content, timeout, BlockData.Bool(data, "allow_private_urls") ?? true, verify: true, cancellationToken);
    }

    private static ByteArrayContent Raw(string text) => new(Encoding.UTF8.GetBytes(text));

    private async Task<NotificationResult> EmailAsync(JsonObject data, string subject, string body, CancellationToken cancellationToken)
    {
        var settings = EmailSettings.Read(data);
        var message = new EmailMessage(settings.From, settings.To, subject, body, _silo.Clock.GetUtcNow(), $"{Guid.NewGuid():N}@orleansflow");
        var attempt = 0;
        while (true)
        {
            attempt++;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            NotificationResult failed;
            try
            {
                var (code, text) = await SmtpMailer.SendAsync(settings, message, timeout.Token).ConfigureAwait(false);
                return new NotificationResult(true, code, null, attempt, text);
            }
            catch (SmtpReplyException e)
            {
                failed = new NotificationResult(false, e.Code, e.Message, attempt, e.Text);
                if (!e.IsTransient)
                {
                    return failed;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failed = new NotificationResult(false, null, $"The SMTP server did not answer within {_options.Timeout.TotalSeconds:0.###} s", attempt);
            }
            catch (System.Security.Authentication.AuthenticationException e)
            {
                // A certificate that does not verify will not verify on the next attempt either.
                return new NotificationResult(false, null, $"TLS with {settings.Server}:{settings.Port} failed: {e.Message}", attempt);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                failed = new NotificationResult(false, null, $"SMTP connection to {settings.Server}:{settings.Port} failed: {e.Message}", attempt);
            }

            if (attempt >= _options.MaxAttempts)
            {
                return failed;
            }

            await Task.Delay(Backoff(attempt), _silo.Clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<NotificationResult> HttpAsync(HttpMethod method, Uri url, IReadOnlyDictionary<string, string> headers, Func<HttpContent?> content,
        TimeSpan timeout, bool allowPrivate, bool verify, CancellationToken cancellationToken)
    {
        if (!allowPrivate && await PrivateAddresses.CheckAsync(url, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return NotificationResult.Failed(refused);
        }

        var client = _http.CreateClient(verify ? HttpClientName : InsecureHttpClientName);
        var attempt = 0;
        while (true)
        {
            attempt++;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            NotificationResult result;
            bool transient;
            try
            {
                using var request = Request(method, url, headers, content());
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                var text = await ReadStartAsync(response, deadline.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return new NotificationResult(true, status, null, attempt, text);
                }

                result = new NotificationResult(false, status, $"HTTP {status} {response.ReasonPhrase}".TrimEnd(), attempt, text);
                transient = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
                    or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result = new NotificationResult(false, null, $"No answer within {timeout.TotalSeconds:0.###} s", attempt);
                transient = true;
            }
            catch (HttpRequestException e)
            {
                result = new NotificationResult(false, null, $"The request failed: {e.Message}", attempt);
                transient = true;
            }

            if (!transient || attempt >= _options.MaxAttempts)
            {
                return result;
            }

            await Task.Delay(Backoff(attempt), _silo.Clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri url, IReadOnlyDictionary<string, string> headers, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("OrleansFlow-Notifications", "1.0"));
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name);
                if (!request.Content.Headers.TryAddWithoutValidation(name, value))
                {
                    throw new ArgumentException($"headers: '{name}' cannot be set");
                }
            }
        }

        return request;
    }

    private async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[_options.MaxResponseBodyLength];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new string(buffer, 0, read);
        }
    }

    private TimeSpan Backoff(int attempt) => _options.RetryDelay * Math.Pow(2, attempt - 1);

    private static HttpMethod Method(JsonObject data) => (BlockData.String(data, "method") ?? "POST").ToUpperInvariant() switch
    {
        "GET" => HttpMethod.Get,
        "POST" => HttpMethod.Post,
        "PUT" => HttpMethod.Put,
        "PATCH" => HttpMethod.Patch,
        "DELETE" => HttpMethod.Delete,
        var other => throw new ArgumentException($"method must be GET, POST, PUT, PATCH or DELETE, not '{other}'"),
    };

    private static Uri Url(JsonObject data, string field) =>
        CheckUrl(BlockData.String(data, field) ?? throw new ArgumentException($"{field} is required"), field);

    private static Uri CheckUrl(string text, string field) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new ArgumentException($"{field} must be an absolute http or https URL");

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Log(Guid blockDocumentId, string slug, NotificationResult result)
    {
        if (!result.Ok)
        {
            LogFailed(blockDocumentId, slug, result.StatusCode, result.Attempts, result.Error);
        }
    }

    [LoggerMessage(EventId = 4701, Level = LogLevel.Warning, Message = "Notification through block document {BlockDocumentId} ({Slug}) failed: status {StatusCode} after {Attempts} attempt(s): {Error}")]
    private partial void LogFailed(Guid blockDocumentId, string slug, int? statusCode, int attempts, string? error);
}
