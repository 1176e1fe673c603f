using System.CommandLine;
using System.Runtime.InteropServices;
using OrleansFlow.Client;
using OrleansFlow.Worker;
using OrleansFlow.Worker.Kubernetes;

namespace OrleansFlow.Cli.Worker;

/// <summary><c>orleansflow worker start --pool P [--queue Q]... [--limit N] [--api URL] [--api-key KEY]</c>: a process worker, or a
/// Kubernetes worker when the pool's type is <c>kubernetes</c>.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var pool = new Option<string>("--pool", "-p") { Description = "The work pool to take runs from.", Required = true };
        var queue = new Option<string[]>("--queue", "-q") { Description = "A queue of the pool to take runs from (repeatable; default all)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many runs at once (default no limit)." };
        var name = new Option<string?>("--name", "-n") { Description = "The worker's name (default from the host and process id)." };
        var start = new Command("start", "Start a worker: claims the pool's due runs and runs each as a local process (the deployment's command).")
        {
            pool,
            queue,
            limit,
            name,
        };
        start.SetAction(async (parse, cancellationToken) =>
        {
            WorkerOptions options;
            try
            {
                if (parse.GetValue(limit) is < 1)
                {
                    throw new FormatException("--limit must be at least 1.");
                }

                var defaults = new WorkerOptions { Pool = parse.GetValue(pool)! };
                options = new WorkerOptions
                {
                    Pool = defaults.Pool,
                    Queues = parse.GetValue(queue) ?? [],
                    Limit = parse.GetValue(limit),
                    ApiUrl = GlobalValue(parse, "--api") is { Length: > 0 } url ? new Uri(url) : WorkerOptions.ApiUrlFromEnvironment(),
                    Name = parse.GetValue(name) ?? defaults.Name,
                    ApiKey = GlobalValue(parse, "--api-key") is { Length: > 0 } key ? key : defaults.ApiKey,
                };
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync($"orleansflow: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            // Ctrl-C and SIGTERM stop the loops (the runs' processes keep running) instead of ending the process at once.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var client = OrleansFlowClient.Create(new OrleansFlowClientOptions { ApiUrl = options.ApiUrl, UserAgent = "orleansflow-worker", ApiKey = options.ApiKey });
            // The pool's type picks the infrastructure: a Kubernetes Job per run for a "kubernetes" pool, else a local process.
            string? type = null;
            try
            {
                type = (await client.ReadWorkPoolAsync(options.Pool, stop.Token).ConfigureAwait(false))?.Type;
                if (type is null)
                {
                    // As Prefect's workers do: a pool named for the first time is created, of this worker's type.
                    await client.EnsureWorkPoolAsync(new WorkPoolCreate(options.Pool, "process"), stop.Token).ConfigureAwait(false);
                    type = (await client.ReadWorkPoolAsync(options.Pool, stop.Token).ConfigureAwait(false))?.Type;
                    Console.WriteLine($"Work pool '{options.Pool}' did not exist: created it (type {type ?? "process"}).");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OrleansFlowApiException)
            {
                await Console.Error.WriteLineAsync($"orleansflow: cannot read work pool '{options.Pool}' ({ex.Message}); running as a process worker.").ConfigureAwait(false);
            }

            KubernetesApi? kubernetes = null;
            IWorker worker;
            try
            {
                if (type == "kubernetes")
                {
                    kubernetes = KubernetesApi.InCluster();
                    worker = new KubernetesWorker(options, client, kubernetes, Console.Out);
                }
                else
                {
                    worker = new ProcessWorker(options, client, Console.Out);
                }
            }
            catch (InvalidOperationException ex)
            {
                await Console.Error.WriteLineAsync($"orleansflow: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            using var disposeKubernetes = kubernetes;
            using var disposeWorker = worker;
            var queues = options.Queues.Count == 0 ? "all queues" : "queues " + string.Join(", ", options.Queues);
            Console.WriteLine($"Worker '{options.Name}' ({(kubernetes is null ? "process" : "kubernetes")}) started on pool '{options.Pool}' ({queues}) against {options.ApiUrl}. Ctrl-C to stop.");
            await new WorkerHost(options, worker, Console.Error).RunAsync(stop.Token).ConfigureAwait(false);
            Console.WriteLine("Worker stopped; runs it started keep running.");
            return 0;
        });

        return new Command("worker", "Run a worker that starts flow runs from a work pool.") { start };
    }
    /// <summary>The value of one of the root's global options (<c>--api</c>, <c>--api-key</c>), given before or after
    /// <c>worker start</c>; null when it was not given.</summary>
    private static string? GlobalValue(ParseResult parse, string name) =>
        parse.GetResult(name) is System.CommandLine.Parsing.OptionResult result ? result.GetValueOrDefault<string?>() : null;
}
