using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace OrleansFlow.Worker.Kubernetes;

/// <summary>The few calls of the Kubernetes API a worker makes, through the official client (<c>KubernetesClient</c>):
/// create, read, watch and delete the <c>batch/v1</c> Jobs of flow runs. Failed calls throw
/// <see cref="HttpRequestException"/> with the API server's status code and message, the error the worker's loops
/// retry.</summary>
public sealed class KubernetesApi : IDisposable
{
    /// <summary>Where Kubernetes mounts a pod's service account.</summary>
    public const string ServiceAccountFolder = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>How long the API server keeps one watch open before ending it (the worker then opens the next).</summary>
    public static readonly TimeSpan WatchLength = TimeSpan.FromMinutes(5);

    // A create whose answer was lost is sent again this many times in all (only for a Job with a fixed name: a retried
    // generateName would make a second Job).
    private const int CreateAttempts = 3;

    private readonly k8s.Kubernetes _client;

    /// <param name="configuration">Where the API server is and how to authenticate: <see cref="KubernetesClientConfiguration.InClusterConfig"/>
    /// in a pod, or e.g. <c>new KubernetesClientConfiguration { Host = "http://127.0.0.1:8001" }</c> through
    /// <c>kubectl proxy</c>. Its <see cref="KubernetesClientConfiguration.Namespace"/> is <see cref="Namespace"/>.</param>
    public KubernetesApi(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _client = new k8s.Kubernetes(configuration);
        Namespace = configuration.Namespace;
    }

    /// <summary>The namespace the worker's pod runs in (from the service account), or null outside a cluster.</summary>
    public string? Namespace { get; init; }

    /// <summary>The API of the cluster this process runs in: <c>KUBERNETES_SERVICE_HOST</c> / <c>KUBERNETES_SERVICE_PORT</c>
    /// and the service account mounted at <see cref="ServiceAccountFolder"/> (its token, which the client re-reads as the
    /// kubelet rotates it, the cluster CA as the only trusted root, and the pod's namespace).</summary>
    /// <exception cref="InvalidOperationException">Not running in a pod (no variables or no service account).</exception>
    public static KubernetesApi InCluster()
    {
        var tokenPath = Path.Combine(ServiceAccountFolder, "token");
        if (!KubernetesClientConfiguration.IsInCluster())
        {
            throw new InvalidOperationException(
                $"Not in a Kubernetes pod: KUBERNETES_SERVICE_HOST is not set or {tokenPath} is missing (a kubernetes worker runs in the cluster).");
        }

        return new KubernetesApi(KubernetesClientConfiguration.InClusterConfig());
    }

    /// <summary>Creates <paramref name="job"/> in its namespace and answers the Job as created. A Job with a fixed name is
    /// created at most once: when the answer is lost (connection error, timeout, 5xx) the create is sent again, and a
    /// 409 AlreadyExists for a Job labelled with the same run (<see cref="KubernetesJob.RunLabel"/>) answers that Job.</summary>
    /// <exception cref="HttpRequestException">The API server refused the Job, or could not be reached.</exception>
    public async Task<V1Job> CreateJobAsync(V1Job job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var ns = job.Metadata?.NamespaceProperty ?? throw new ArgumentException("The Job names no namespace.", nameof(job));
        var name = job.Metadata.Name;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _client.BatchV1.CreateNamespacedJobAsync(job, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (name is not null && ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Ours when it carries this run's label: an earlier attempt (or worker) created it.
                var existing = await ReadJobAsync(ns, name, cancellationToken).ConfigureAwait(false);
                if (existing is not null && RunOf(existing) is { } run && run == RunOf(job))
                {
                    return existing;
                }

                throw Failure("create", $"{ns}/{name}", ex);
            }
            catch (HttpOperationException ex)
            {
                if (name is null || attempt == CreateAttempts || !Transient(ex.Response.StatusCode))
                {
                    throw Failure("create", $"{ns}/{name ?? job.Metadata.GenerateName + "*"}", ex);
                }
            }
            catch (Exception ex) when (name is not null && attempt < CreateAttempts && Lost(ex, cancellationToken))
            {
                // The request may have reached the API server: the next attempt tells (created, or 409 with our label).
            }
        }
    }

    /// <summary>The Job <paramref name="name"/> in <paramref name="ns"/>; null when it is gone (404).</summary>
    /// <exception cref="HttpRequestException">The API server answered another error, or could not be reached.</exception>
    public async Task<V1Job?> ReadJobAsync(string ns, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException ex)
        {
            throw Failure("read", $"{ns}/{name}", ex);
        }
    }

    /// <summary>Watches the flow runs' Jobs (those labelled <see cref="KubernetesJob.RunLabel"/>) in <paramref name="ns"/>:
    /// each change as the API server streams it, from <paramref name="resourceVersion"/> (null: the Jobs there now, as
    /// <see cref="WatchEventType.Added"/>, then their changes). Ends when the server ends the watch (after
    /// <see cref="WatchLength"/> or sooner): the caller watches again from the last resource version it saw.</summary>
    /// <exception cref="HttpRequestException">The watch failed; status 410 Gone: <paramref name="resourceVersion"/> is too
    /// old, watch again from null.</exception>
    public async IAsyncEnumerable<(WatchEventType Type, V1Job Job)> WatchJobsAsync(string ns, string? resourceVersion,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? error = null;
        // An ERROR event (e.g. 410 Gone) reaches the client as onError; the stream is useless after it.
        var events = _client.BatchV1.WatchListNamespacedJobAsync(ns, allowWatchBookmarks: true, labelSelector: KubernetesJob.RunLabel,
            resourceVersion: resourceVersion, timeoutSeconds: (int)WatchLength.TotalSeconds, onError: e =>
            {
                error ??= e;
                failed.Cancel();
            }, cancellationToken: failed.Token);
        await using var enumerator = events.GetAsyncEnumerator(failed.Token);
        while (true)
        {
            (WatchEventType, V1Job) item;
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }

                item = enumerator.Current;
            }
            catch (OperationCanceledException) when (error is not null && !cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (HttpOperationException ex)
            {
                throw Failure("watch", ns, ex);
            }

            yield return item;
        }

        switch (error)
        {
            case KubernetesException { Status: { } status }:
                throw new HttpRequestException($"Kubernetes watch of Jobs in {ns} ended with {status.Code} {status.Reason}: {status.Message}",
                    error, status.Code is { } code ? (HttpStatusCode)code : null);
            case not null:
                throw new HttpRequestException($"Kubernetes watch of Jobs in {ns} failed: {error.Message}", error);
        }
    }

    /// <summary>Deletes the Job with <c>propagationPolicy: Background</c> (the garbage collector then removes its pods, each
    /// given its grace period); a Job already gone is fine.</summary>
    /// <exception cref="HttpRequestException">The API server answered another error, or could not be reached.</exception>
    public async Task DeleteJobAsync(string ns, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.BatchV1.DeleteNamespacedJobAsync(name, ns, new V1DeleteOptions { PropagationPolicy = "Background" },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
        catch (HttpOperationException ex)
        {
            throw Failure("delete", $"{ns}/{name}", ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private static string? RunOf(V1Job job) => job.Metadata?.Labels?.TryGetValue(KubernetesJob.RunLabel, out var run) == true ? run : null;

    private static bool Transient(HttpStatusCode status) =>
        status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    // No answer: the connection failed or the client's timeout passed (not the caller's cancellation).
    private static bool Lost(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static HttpRequestException Failure(string verb, string what, HttpOperationException ex) =>
        new($"Kubernetes {verb} of Job {what} answered {(int)ex.Response.StatusCode}: {ex.Response.Content}", ex, ex.Response.StatusCode);
}
