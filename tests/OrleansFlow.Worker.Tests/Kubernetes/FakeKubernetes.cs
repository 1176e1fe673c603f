using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrleansFlow.Worker.Tests.Kubernetes;

/// <summary>The part of a Kubernetes API server the worker and the silos use, in process on a loopback port (no cluster can
/// run here): <c>batch/v1</c> Jobs created, read, listed, watched and deleted, and <c>v1</c> Pods read, merge-patched,
/// listed and watched by label selector and deleted, as the real server answers them, with resource versions, 404 and 409
/// <c>Status</c> bodies and line-per-event watch streams. Tests change a Job's status, add and delete pods, end the open
/// watches (as the server does at its timeout) and lose the answers to creates.</summary>
internal sealed class FakeKubernetes : IAsyncDisposable
{
    private const string JobsPrefix = "/apis/batch/v1/namespaces/";
    private const string CorePrefix = "/api/v1/namespaces/";

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _pods = new(StringComparer.Ordinal);
    private readonly List<(string Type, JsonObject Job)> _events = [];
    private readonly List<Request> _requests = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _endWatches = new();
    private int _version;
    private int _loseCreates;

    private FakeKubernetes(WebApplication app)
    {
        _app = app;
        _app.Run(HandleAsync);
    }

    /// <summary>One request as the server saw it.</summary>
    public sealed record Request(string Method, string Path, IQueryCollection Query, string? ContentType, JsonObject? Body);

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The requests so far, in order.</summary>
    public IReadOnlyList<Request> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The watch requests so far.</summary>
    public IReadOnlyList<Request> Watches => [.. Requests.Where(r => r.Query["watch"] == "true")];

    /// <summary>Starts the server; with <paramref name="certificate"/> it speaks HTTPS only.</summary>
    public static async Task<FakeKubernetes> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var fake = new FakeKubernetes(builder.Build());
        await fake._app.StartAsync();
        fake.Url = fake._app.Urls.Single().TrimEnd('/');
        return fake;
    }

    /// <summary>The Job <paramref name="name"/> in <paramref name="ns"/> as stored, or null.</summary>
    public JsonObject? Job(string ns, string name)
    {
        lock (_gate)
        {
            return _jobs.TryGetValue($"{ns}/{name}", out var job) ? (JsonObject)job.DeepClone() : null;
        }
    }

    /// <summary>All stored Jobs.</summary>
    public IReadOnlyList<JsonObject> Jobs()
    {
        lock (_gate)
        {
            return [.. _jobs.Values.Select(j => (JsonObject)j.DeepClone())];
        }
    }

    /// <summary>Sets a Job's <c>status</c> (as the Job controller does), a MODIFIED event for the watches.</summary>
    public void SetStatus(string ns, string name, string status)
    {
        lock (_gate)
        {
            var job = _jobs[$"{ns}/{name}"];
            job["status"] = JsonNode.Parse(status);
            Changed("MODIFIED", job);
        }
    }

    /// <summary>Removes a Job behind the worker's back (e.g. its TTL passed), a DELETED event for the watches.</summary>
    public void Remove(string ns, string name)
    {
        lock (_gate)
        {
            if (_jobs.Remove($"{ns}/{name}", out var job))
            {
                Changed("DELETED", job);
            }
        }
    }

    /// <summary>Adds a running pod with <paramref name="labels"/>, an ADDED event for the pod watches.</summary>
    public void AddPod(string ns, string name, IReadOnlyDictionary<string, string> labels)
    {
        lock (_gate)
        {
            var pod = new JsonObject
            {
                ["kind"] = "Pod",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = ns,
                    ["uid"] = Guid.NewGuid().ToString(),
                    ["labels"] = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]),
                },
                ["status"] = new JsonObject { ["phase"] = "Running" },
            };
            _pods[$"{ns}/{name}"] = pod;
            Changed("ADDED", pod);
        }
    }

    /// <summary>The pod <paramref name="name"/> in <paramref name="ns"/> as stored, or null.</summary>
    public JsonObject? Pod(string ns, string name)
    {
        lock (_gate)
        {
            return _pods.TryGetValue($"{ns}/{name}", out var pod) ? (JsonObject)pod.DeepClone() : null;
        }
    }

    /// <summary>Deletes a pod (as a node drain or <c>kubectl delete pod</c> does), a DELETED event for the pod watches.</summary>
    public void DeletePod(string ns, string name)
    {
        lock (_gate)
        {
            if (_pods.Remove($"{ns}/{name}", out var pod))
            {
                Changed("DELETED", pod);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> creates store their Job and then drop the connection unanswered.</summary>
    public void LoseCreateAnswers(int count) => Interlocked.Exchange(ref _loseCreates, count);

    /// <summary>Ends the open watch streams, as the API server does when a watch's timeout passes.</summary>
    public void EndWatches()
    {
        CancellationTokenSource ended;
        lock (_gate)
        {
            ended = _endWatches;
            _endWatches = new CancellationTokenSource();
        }

        ended.Cancel();
        ended.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        EndWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Changed(string type, JsonObject job)
    {
        job["metadata"]!["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _events.Add((type, (JsonObject)job.DeepClone()));
        Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        JsonObject? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync()) as JsonObject;
        }

        lock (_gate)
        {
            _requests.Add(new Request(request.Method, request.Path.Value ?? "", request.Query, request.ContentType, body));
        }

        // /api/v1/namespaces/{ns}/pods[/{name}]
        var path = request.Path.Value ?? "";
        if (path.StartsWith(CorePrefix, StringComparison.Ordinal) && path[CorePrefix.Length..].Split('/') is [var podNs, "pods", .. var podName] && podName.Length <= 1)
        {
            await HandlePodsAsync(context, podNs, podName.Length == 1 ? podName[0] : null, body);
            return;
        }

        // /apis/batch/v1/namespaces/{ns}/jobs[/{name}]
        var parts = path.StartsWith(JobsPrefix, StringComparison.Ordinal) ? path[JobsPrefix.Length..].Split('/') : [];
        if (parts.Length is < 2 or > 3 || parts[1] != "jobs")
        {
            await StatusAsync(context, 404, "NotFound", $"the server could not find the requested resource ({path})");
            return;
        }

        var ns = parts[0];
        var name = parts.Length == 3 ? parts[2] : null;
        switch (request.Method, name)
        {
            case ("POST", null):
                await CreateAsync(context, ns, body!);
                break;
            case ("GET", null) when request.Query["watch"] == "true":
                await WatchAsync(context, ns, request.Query["resourceVersion"].ToString(), "Job", "");
                break;
            case ("GET", null):
                JsonObject list;
                lock (_gate)
                {
                    list = new JsonObject
                    {
                        ["kind"] = "JobList",
                        ["apiVersion"] = "batch/v1",
                        ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        ["items"] = new JsonArray([.. _jobs.Values.Where(j => Namespace(j) == ns).Select(j => (JsonNode)j.DeepClone())]),
                    };
                }

                await JsonAsync(context, 200, list);
                break;
            case ("GET", { } one):
                var job = Job(ns, one);
                await (job is null ? StatusAsync(context, 404, "NotFound", $"jobs.batch \"{one}\" not found") : JsonAsync(context, 200, job));
                break;
            case ("DELETE", { } gone):
                bool removed;
                lock (_gate)
                {
                    removed = _jobs.ContainsKey($"{ns}/{gone}");
                }

                Remove(ns, gone);
                await (removed ? StatusAsync(context, 200, null, null) : StatusAsync(context, 404, "NotFound", $"jobs.batch \"{gone}\" not found"));
                break;
            default:
                await StatusAsync(context, 405, "MethodNotAllowed", $"{request.Method} {path}");
                break;
        }
    }

    private async Task HandlePodsAsync(HttpContext context, string ns, string? name, JsonObject? body)
    {
        var request = context.Request;
        var selector = request.Query["labelSelector"].ToString();
        switch (request.Method, name)
        {
            case ("GET", null) when request.Query["watch"] == "true":
                await WatchAsync(context, ns, request.Query["resourceVersion"].ToString(), "Pod", selector);
                break;
            case ("GET", null):
                JsonObject list;
                lock (_gate)
                {
                    list = new JsonObject
                    {
                        ["kind"] = "PodList",
                        ["apiVersion"] = "v1",
                        ["metadata"] = new JsonObject { ["resourceVersion"] = _version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        ["items"] = new JsonArray([.. _pods.Values.Where(p => Namespace(p) == ns && Selects(selector, p)).Select(p => (JsonNode)p.DeepClone())]),
                    };
                }

                await JsonAsync(context, 200, list);
                break;
            case ("GET", { } one):
                var pod = Pod(ns, one);
                await (pod is null ? StatusAsync(context, 404, "NotFound", $"pods \"{one}\" not found") : JsonAsync(context, 200, pod));
                break;
            case ("PATCH", { } patched):
                JsonObject? result = null;
                lock (_gate)
                {
                    if (_pods.TryGetValue($"{ns}/{patched}", out var stored) && body is not null)
                    {
                        MergePatch(stored, body);
                        Changed("MODIFIED", stored);
                        result = (JsonObject)stored.DeepClone();
                    }
                }

                await (result is null ? StatusAsync(context, 404, "NotFound", $"pods \"{patched}\" not found") : JsonAsync(context, 200, result));
                break;
            case ("DELETE", { } gone):
                var existed = Pod(ns, gone) is not null;
                DeletePod(ns, gone);
                await (existed ? StatusAsync(context, 200, null, null) : StatusAsync(context, 404, "NotFound", $"pods \"{gone}\" not found"));
                break;
            default:
                await StatusAsync(context, 405, "MethodNotAllowed", $"{request.Method} {request.Path}");
                break;
        }
    }

    // RFC 7386: objects merge, null removes, anything else replaces.
    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                MergePatch(existing, inner);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    // Equality selectors only (a=b,c=d), which is what Orleans' Kubernetes hosting sends.
    private static bool Selects(string selector, JsonObject item) =>
        string.IsNullOrEmpty(selector) || selector.Split(',').All(term => term.Split('=', 2) is [var label, var value]
            && item["metadata"]?["labels"]?[label]?.GetValue<string>() == value);

    private async Task CreateAsync(HttpContext context, string ns, JsonObject job)
    {
        var metadata = job["metadata"]!.AsObject();
        var name = metadata["name"]?.GetValue<string>() ?? metadata["generateName"]!.GetValue<string>() + Guid.NewGuid().ToString("N")[..5];
        JsonObject stored;
        lock (_gate)
        {
            if (_jobs.ContainsKey($"{ns}/{name}"))
            {
                stored = null!;
            }
            else
            {
                metadata["name"] = name;
                metadata["namespace"] = ns;
                metadata["uid"] = Guid.NewGuid().ToString();
                metadata["creationTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
                job["status"] = new JsonObject();
                _jobs[$"{ns}/{name}"] = job;
                Changed("ADDED", job);
                stored = (JsonObject)job.DeepClone();
            }
        }

        if (stored is null)
        {
            await StatusAsync(context, 409, "AlreadyExists", $"jobs.batch \"{name}\" already exists");
            return;
        }

        if (Interlocked.Decrement(ref _loseCreates) >= 0)
        {
            context.Abort();
            return;
        }

        Interlocked.Exchange(ref _loseCreates, 0);
        await JsonAsync(context, 201, stored);
    }

    // Events after resourceVersion (none given: the Jobs there now as ADDED), then each new one, until the test ends the
    // watches or the client goes.
    private async Task WatchAsync(HttpContext context, string ns, string resourceVersion, string kind, string selector)
    {
        CancellationToken ended;
        var pending = new List<(string Type, JsonObject Job)>();
        int cursor;
        lock (_gate)
        {
            ended = _endWatches.Token;
            cursor = _events.Count;
            if (string.IsNullOrEmpty(resourceVersion))
            {
                pending.AddRange((kind == "Pod" ? _pods : _jobs).Values.Select(j => ("ADDED", (JsonObject)j.DeepClone())));
            }
            else
            {
                var from = int.Parse(resourceVersion, System.Globalization.CultureInfo.InvariantCulture);
                pending.AddRange(_events.Where(e => Version(e.Job) > from));
            }
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ended, context.RequestAborted);
        try
        {
            while (true)
            {
                foreach (var (type, job) in pending.Where(e => Namespace(e.Job) == ns && Kind(e.Job, kind) && Selects(selector, e.Job)))
                {
                    await context.Response.WriteAsync(new JsonObject { ["type"] = type, ["object"] = job.DeepClone() }.ToJsonString() + "\n", stop.Token);
                }

                await context.Response.Body.FlushAsync(stop.Token);
                pending.Clear();
                Task changed;
                lock (_gate)
                {
                    pending.AddRange(_events.Skip(cursor));
                    cursor = _events.Count;
                    changed = _changed.Task;
                }

                if (pending.Count == 0)
                {
                    await changed.WaitAsync(stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ended by the test (the response completes normally) or by the client.
        }
    }

    private static string? Namespace(JsonObject job) => job["metadata"]?["namespace"]?.GetValue<string>();

    // Jobs as the worker sends them may carry no kind: anything that is not a pod is a Job.
    private static bool Kind(JsonObject item, string kind) => (item["kind"]?.GetValue<string>() == "Pod") == (kind == "Pod");

    private static int Version(JsonObject job) =>
        int.Parse(job["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static Task JsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task StatusAsync(HttpContext context, int code, string? reason, string? message) => JsonAsync(context, code, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = code < 400 ? "Success" : "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    });
}
