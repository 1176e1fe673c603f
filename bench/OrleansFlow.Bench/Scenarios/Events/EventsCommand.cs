using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace OrleansFlow.Bench.Scenarios.Events;

/// <summary><c>events</c>: the events API of a running server. (1) Ingest: <c>--concurrency</c> workers send batches of
/// <c>--batch</c> events with <c>POST /api/events</c> for <c>--duration</c> seconds: events/s sustained and the request
/// latencies. (2) Seed: more batches (1,000 events each, in parallel) until <c>--stored</c> events of this run are stored,
/// spread over the last six days, 1,000 resources, 100 related customers and 20 names. (3) Filter: <c>--queries</c> runs of
/// each of four <c>POST /api/events/filter</c> queries (a name prefix, a resource id, a related resource in a role, and
/// the same prefix counted by <c>/count-by/event</c>): p50 and p99 per query.</summary>
internal static class EventsCommand
{
    public const string Name = "events";

    private const string Usage = "usage: events [--api URL (http://127.0.0.1:4200/api)] [--concurrency C (8)] [--duration S (10)] [--batch B (50)] [--stored N (10000)] [--queries Q (100)]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var api = "http://127.0.0.1:4200/api";
        int concurrency = 8, duration = 10, batch = 50, stored = 10_000, queries = 100;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--api" when value is not null: api = value.TrimEnd('/'); i++; break;
                case "--concurrency" when int.TryParse(value, CultureInfo.InvariantCulture, out var c) && c > 0: concurrency = c; i++; break;
                case "--duration" when int.TryParse(value, CultureInfo.InvariantCulture, out var d) && d > 0: duration = d; i++; break;
                case "--batch" when int.TryParse(value, CultureInfo.InvariantCulture, out var b) && b is > 0 and <= 10_000: batch = b; i++; break;
                case "--stored" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 0: stored = n; i++; break;
                case "--queries" when int.TryParse(value, CultureInfo.InvariantCulture, out var q) && q > 0: queries = q; i++; break;
                case "--help" or "-h": await output.WriteLineAsync(Usage); return ExitCodes.Success;
                default:
                    await error.WriteLineAsync($"error: bad argument '{args[i]}'. {Usage}");
                    return ExitCodes.BadArguments;
            }
        }

        using var http = BenchHttpClient.Create(concurrency, TimeSpan.FromSeconds(60));
        var run = Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;

        // (1) Ingest.
        var latencies = new List<double>();
        var sent = 0L;
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(duration);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var mine = new List<double>();
            while (clock.Elapsed < until && !cancellationToken.IsCancellationRequested)
            {
                var body = Batch(random, run, batch, now, TimeSpan.FromMinutes(5));
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync($"{api}/events", Json(body), cancellationToken).ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    Interlocked.Add(ref sent, batch);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }, cancellationToken))).ConfigureAwait(false);
        var wall = clock.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"ingest: {sent} events in {wall:F1} s = {sent / wall:F0} events/s (C={concurrency}, batch {batch}); request p50 {Percentile(latencies, 50):F1} ms, p99 {Percentile(latencies, 99):F1} ms; errors {errors}"));

        // (2) Seed up to --stored events of this run, over six days.
        var seedClock = Stopwatch.StartNew();
        var seeded = sent;
        var next = 0L;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(1000 + worker);
            while (Interlocked.Add(ref next, 1000) - 1000 < stored - sent && !cancellationToken.IsCancellationRequested)
            {
                using var response = await http.PostAsync($"{api}/events", Json(Batch(random, run, 1000, now, TimeSpan.FromDays(6))), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    Interlocked.Add(ref seeded, 1000);
                }
            }
        }, cancellationToken))).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"seed: {seeded} events of this run stored ({seedClock.Elapsed.TotalSeconds:F1} s)"));

        // (3) Filter latencies.
        var since = now.AddDays(-7);
        var kinds = new (string Label, string Path, Func<int, object> Body)[]
        {
            ("prefix", "events/filter", i => new { filter = new { occurred = new { since }, @event = new { prefix = new[] { $"bench.{run}.name-{i % 20:D2}" } } }, limit = 50 }),
            ("resource", "events/filter", i => new { filter = new { occurred = new { since }, resource = new { id = new[] { $"bench.{run}.thing.{i % 1000}" } } }, limit = 50 }),
            ("related", "events/filter", i => new { filter = new { occurred = new { since }, related = new { id = new[] { $"bench.{run}.customer.{i % 100}" }, role = new[] { "customer" } } }, limit = 50 }),
            ("count-by", "events/count-by/event", i => new { filter = new { occurred = new { since }, @event = new { prefix = new[] { $"bench.{run}." } } } }),
        };
        foreach (var (label, path, body) in kinds)
        {
            var times = new List<double>(queries);
            for (var i = 0; i < queries; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync($"{api}/{path}", Json(body(i)), cancellationToken).ConfigureAwait(false);
                await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    errors++;
                }
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"filter {label,-9}: {queries} queries over {seeded} events of this run: p50 {Percentile(times, 50):F1} ms, p99 {Percentile(times, 99):F1} ms"));
        }

        return errors == 0 ? ExitCodes.Success : ExitCodes.RunFailed;
    }

    private static object[] Batch(Random random, string run, int count, DateTimeOffset now, TimeSpan spread) =>
        [.. Enumerable.Range(0, count).Select(_ => (object)new Dictionary<string, object>
        {
            ["id"] = Guid.NewGuid(),
            ["occurred"] = now - TimeSpan.FromSeconds(random.NextDouble() * spread.TotalSeconds),
            ["event"] = $"bench.{run}.name-{random.Next(20):D2}",
            ["resource"] = new Dictionary<string, string> { ["prefect.resource.id"] = $"bench.{run}.thing.{random.Next(1000)}", ["prefect.resource.name"] = "thing" },
            ["related"] = new[] { new Dictionary<string, string> { ["prefect.resource.id"] = $"bench.{run}.customer.{random.Next(100)}", ["prefect.resource.role"] = "customer" } },
            ["payload"] = new Dictionary<string, object> { ["n"] = random.Next() },
        })];

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
