using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace OrleansFlow.Worker.Kubernetes;

/// <summary>The few calls of the Kubernetes API a worker makes (create, read and delete a <c>batch/v1</c> Job), over HTTPS
/// with plain <see cref="HttpClient"/> and JSON. In a pod it uses the service account mounted at
/// <see cref="ServiceAccountFolder"/>: the bearer token (re-read on every call: the kubelet rotates it), the cluster's CA
/// as the only trusted root, and the pod's namespace.</summary>
public sealed class KubernetesApi : IDisposable
{
    /// <summary>Where Kubernetes mounts a pod's service account.</summary>
    public const string ServiceAccountFolder = "/var/run/secrets/kubernetes.io/serviceaccount";

    private readonly HttpClient _http;
    private readonly Func<string> _token;

    /// <param name="server">The API server, e.g. <c>https://10.0.0.1:443</c>.</param>
    /// <param name="token">Gives the bearer token for each call.</param>
    /// <param name="handler">The HTTP handler (trusting the cluster's CA).</param>
    public KubernetesApi(Uri server, Func<string> token, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(server);
        _token = token ?? throw new ArgumentNullException(nameof(token));
        _http = new HttpClient(handler ?? throw new ArgumentNullException(nameof(handler))) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The namespace the worker's pod runs in (from the service account), or null outside a cluster.</summary>
    public string? Namespace { get; init; }

    /// <summary>The API of the cluster this process runs in: <c>KUBERNETES_SERVICE_HOST</c> / <c>KUBERNETES_SERVICE_PORT</c>
    /// and the mounted service account.</summary>
    /// <exception cref="InvalidOperationException">Not running in a pod (no variables or no service account).</exception>
    public static KubernetesApi InCluster()
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT") is { Length: > 0 } p ? p : "443";
        var tokenPath = Path.Combine(ServiceAccountFolder, "token");
        if (string.IsNullOrEmpty(host) || !File.Exists(tokenPath))
        {
            throw new InvalidOperationException(
                $"Not in a Kubernetes pod: KUBERNETES_SERVICE_HOST is not set or {tokenPath} is missing (a kubernetes worker runs in the cluster).");
        }

        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(ServiceAccountFolder, "ca.crt"));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificate is not null && TrustedBy(ca, new X509Certificate2(certificate), errors),
            },
        };
        var ns = File.ReadAllText(Path.Combine(ServiceAccountFolder, "namespace")).Trim();
        var server = new Uri($"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}/");
        return new KubernetesApi(server, () => File.ReadAllText(tokenPath).Trim(), handler) { Namespace = ns };
    }

    /// <summary>True when <paramref name="certificate"/> chains up to <paramref name="ca"/> (the only trusted root) and its
    /// name matched.</summary>
    public static bool TrustedBy(X509Certificate2 ca, X509Certificate2 certificate, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(certificate);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary><c>POST /apis/batch/v1/namespaces/{ns}/jobs</c>; answers the created Job.</summary>
    public async Task<JsonObject> CreateJobAsync(string ns, JsonObject job, CancellationToken cancellationToken = default) =>
        (JsonObject)(await SendAsync(HttpMethod.Post, $"apis/batch/v1/namespaces/{Uri.EscapeDataString(ns)}/jobs", job, cancellationToken).ConfigureAwait(false))!;

    /// <summary><c>GET /apis/batch/v1/namespaces/{ns}/jobs/{name}</c>; null when it is gone (404).</summary>
    public async Task<JsonObject?> GetJobAsync(string ns, string name, CancellationToken cancellationToken = default) =>
        (JsonObject?)await SendAsync(HttpMethod.Get, $"apis/batch/v1/namespaces/{Uri.EscapeDataString(ns)}/jobs/{Uri.EscapeDataString(name)}", null,
            cancellationToken, notFoundIsNull: true).ConfigureAwait(false);

    /// <summary><c>DELETE</c> of the Job with <c>propagationPolicy: Foreground</c> (its pods go too); a Job already gone is fine.</summary>
    public async Task DeleteJobAsync(string ns, string name, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, $"apis/batch/v1/namespaces/{Uri.EscapeDataString(ns)}/jobs/{Uri.EscapeDataString(name)}",
            new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = "Foreground", ["gracePeriodSeconds"] = 0 },
            cancellationToken, notFoundIsNull: true).ConfigureAwait(false);

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Kubernetes {method} {path} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return text.Length == 0 ? null : JsonNode.Parse(text);
    }
}
