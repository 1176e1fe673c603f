using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace OrleansFlow.Bench.Scenarios.Events;

/// <summary><c>events</c>: the events API of a running server. (1) Ingest: <c>--concurrency</c> workers send batches of
/// <c>--batch</c> events with <c>POST /api/events</c> for <c>--duration</c> seconds (0 skips it): events/s sustained and
/// the request latencies. (2) Seed: batches of <c>--seed-batch</c> events from <c>--seed-concurrency</c> workers until
/// <c>--stored</c> events of this run are stored, spread over the last six days, 1,000 resources, 100 related customers
/// and 20 names: the events/s sustained over the whole seed. (3) Filter: <c>--queries</c> runs of each query below, p50
/// and p99 per query. <c>--run ID</c> reuses the events an earlier run stored (its id is printed), so the filters can be
/// measured again over the same events without seeding them again.</summary>
internal static class EventsCommand
{
    public const string Name = "events";

    private const string Usage = "usage: events [--api URL (http://127.0.0.1:4200/api)] [--concurrency C (8)] [--duration S (10; 0 = no ingest phase)] " +
        "[--batch B (50)] [--stored N (10000)] [--seed-batch B (1000)] [--seed-concurrency C (4)] [--queries Q (100)] [--run ID (new)] [--json FILE]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var api = "http://127.0.0.1:4200/api";
        int concurrency = 8, duration = 10, batch = 50, stored = 10_000, queries = 100, seedBatch = 1000, seedConcurrency = 4;
        string? run = null, json = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--api" when value is not null: api = value.TrimEnd('/'); i++; break;
                case "--concurrency" when int.TryParse(value, CultureInfo.InvariantCulture, out var c) && c > 0: concurrency = c; i++; break;
                case "--duration" when int.TryParse(value, CultureInfo.InvariantCulture, out var d) && d >= 0: duration = d; i++; break;
                case "--batch" when int.TryParse(value, CultureInfo.InvariantCulture, out var b) && b is > 0 and <= 10_000: batch = b; i++; break;
                case "--stored" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n >= 0: stored = n; i++; break;
                case "--seed-batch" when int.TryParse(value, CultureInfo.InvariantCulture, out var b) && b is > 0 and <= 10_000: seedBatch = b; i++; break;
                case "--seed-concurrency" when int.TryParse(value, CultureInfo.InvariantCulture, out var c) && c > 0: seedConcurrency = c; i++; break;
                case "--queries" when int.TryParse(value, CultureInfo.InvariantCulture, out var q) && q > 0: queries = q; i++; break;
                case "--run" when value is { Length: > 0 } && value.All(char.IsAsciiLetterOrDigit): run = value; i++; break;
                case "--json" when value is not null: json = value; i++; break;
                case "--help" or "-h": await output.WriteLineAsync(Usage); return ExitCodes.Success;
                default:
                    await error.WriteLineAsync($"error: bad argument '{args[i]}'. {Usage}");
                    return ExitCodes.BadArguments;
            }
        }

        using var http = BenchHttpClient.Create(Math.Max(concurrency, seedConcurrency), TimeSpan.FromSeconds(120));
        run ??= Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        var report = new Dictionary<string, object?> { ["scenario"] = Name, ["api"] = api, ["run"] = run, ["started_at"] = now };
        await output.WriteLineAsync($"run {run}");

        // (1) Ingest.
        var latencies = new List<double>();
        var sent = 0L;
        var errors = 0;
        if (duration > 0)
        {
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
            report["ingest"] = new Dictionary<string, object>
            {
                ["events"] = sent, ["wall_s"] = Math.Round(wall, 1), ["events_per_s"] = Math.Round(sent / wall), ["concurrency"] = concurrency, ["batch"] = batch,
                ["request_p50_ms"] = Math.Round(Percentile(latencies, 50), 1), ["request_p99_ms"] = Math.Round(Percentile(latencies, 99), 1), ["errors"] = errors,
            };
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"ingest: {sent} events in {wall:F1} s = {sent / wall:F0} events/s (C={concurrency}, batch {batch}); request p50 {Percentile(latencies, 50):F1} ms, p99 {Percentile(latencies, 99):F1} ms; errors {errors}"));
        }

        // (2) Seed up to --stored events of this run, over six days.
        if (stored > sent)
        {
            var seedClock = Stopwatch.StartNew();
            var seeded = 0L;
            var next = 0L;
            var seedErrors = 0;
            var toSeed = stored - sent;
            var step = Math.Max(toSeed / 10, seedBatch);
            var reported = 0L;
            await Task.WhenAll(Enumerable.Range(0, seedConcurrency).Select(worker => Task.Run(async () =>
            {
                var random = new Random(1000 + worker);
                while (!cancellationToken.IsCancellationRequested)
                {
                    var start = Interlocked.Add(ref next, seedBatch) - seedBatch;
                    if (start >= toSeed)
                    {
                        break;
                    }

                    var count = (int)Math.Min(seedBatch, toSeed - start);
                    using var response = await http.PostAsync($"{api}/events", Json(Batch(random, run, count, now, TimeSpan.FromDays(6))), cancellationToken).ConfigureAwait(false);
                    if (response.StatusCode != HttpStatusCode.NoContent)
                    {
                        Interlocked.Increment(ref seedErrors);
                        continue;
                    }

                    var done = Interlocked.Add(ref seeded, count);
                    var mark = done / step * step;
                    if (mark > Interlocked.Read(ref reported) && Interlocked.Exchange(ref reported, mark) < mark)
                    {
                        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"seed: {done} events in {seedClock.Elapsed.TotalSeconds:F0} s ({done / seedClock.Elapsed.TotalSeconds:F0} events/s)")).ConfigureAwait(false);
                    }
                }
            }, cancellationToken))).ConfigureAwait(false);
            var seedWall = seedClock.Elapsed.TotalSeconds;
            errors += seedErrors;
            report["seed"] = new Dictionary<string, object>
            {
                ["events"] = seeded, ["wall_s"] = Math.Round(seedWall, 1), ["events_per_s"] = Math.Round(seeded / seedWall),
                ["concurrency"] = seedConcurrency, ["batch"] = seedBatch, ["errors"] = seedErrors,
            };
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"seed: {seeded} events in {seedWall:F1} s = {seeded / seedWall:F0} events/s sustained (C={seedConcurrency}, batch {seedBatch}); errors {seedErrors}"));
        }

        // (3) Filter latencies, over every event of this run (all within the last seven days).
        var since = now.AddDays(-7);
        var prefix = $"bench.{run}.";
        var kinds = new (string Label, string Path, Func<int, object> Body)[]
        {
            // A one-hour window somewhere in the six days, every event in it: the events page's default shape.
            ("time-1h", "events/filter", i => new { filter = new { occurred = new { since = now.AddHours(-1 - (i % 140)), until = now.AddHours(-(i % 140)) } }, limit = 50 }),
            // A one-day window: about a sixth of the events, counted for the page's total.
            ("time-1d", "events/filter", i => new { filter = new { occurred = new { since = now.AddDays(-1 - (i % 5)), until = now.AddDays(-(i % 5)) } }, limit = 50 }),
            ("prefix", "events/filter", i => new { filter = new { occurred = new { since }, @event = new { prefix = new[] { $"{prefix}name-{i % 20:D2}" } } }, limit = 50 }),
            ("resource", "events/filter", i => new { filter = new { occurred = new { since }, resource = new { id = new[] { $"{prefix}thing.{i % 1000}" } } }, limit = 50 }),
            ("related", "events/filter", i => new { filter = new { occurred = new { since }, related = new { id = new[] { $"{prefix}customer.{i % 100}" }, role = new[] { "customer" } } }, limit = 50 }),
            ("count-by-event", "events/count-by/event", i => new { filter = new { occurred = new { since }, @event = new { prefix = new[] { prefix } } } }),
            ("count-by-day", "events/count-by/day", i => new { filter = new { occurred = new { since }, @event = new { prefix = new[] { prefix } } } }),
        };
        var filters = new Dictionary<string, object>();
        foreach (var (label, path, body) in kinds)
        {
            var times = new List<double>(queries);
            for (var i = 0; i < queries; i++)
            {
                var (ms, ok) = await TimeAsync(() => http.PostAsync($"{api}/{path}", Json(body(i)), cancellationToken), cancellationToken).ConfigureAwait(false);
                times.Add(ms);
                errors += ok is null ? 1 : 0;
            }

            filters[label] = await ReportAsync(output, label, times).ConfigureAwait(false);
        }

        // Paging: the second page of the prefix query, through the first page's next_page link.
        var pageTimes = new List<double>(queries);
        for (var i = 0; i < queries; i++)
        {
            using var first = await http.PostAsync($"{api}/events/filter",
                Json(new { filter = new { occurred = new { since }, @event = new { prefix = new[] { $"{prefix}name-{i % 20:D2}" } } }, limit = 50 }), cancellationToken).ConfigureAwait(false);
            using var page = JsonDocument.Parse(await first.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            if (!first.IsSuccessStatusCode || page.RootElement.GetProperty("next_page").GetString() is not { } link)
            {
                errors++;
                continue;
            }

            var (ms, ok) = await TimeAsync(() => http.GetAsync(link, cancellationToken), cancellationToken).ConfigureAwait(false);
            pageTimes.Add(ms);
            errors += ok is null ? 1 : 0;
        }

        filters["next-page"] = await ReportAsync(output, "next-page", pageTimes).ConfigureAwait(false);
        report["filters"] = filters;
        report["queries"] = queries;
        report["errors"] = errors;
        if (json is not null)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report) + "\n", cancellationToken).ConfigureAwait(false);
        }

        return errors == 0 ? ExitCodes.Success : ExitCodes.RunFailed;

        async Task<Dictionary<string, object>> ReportAsync(TextWriter writer, string label, List<double> times)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"filter {label,-14}: {times.Count} queries: p50 {Percentile(times, 50):F1} ms, p99 {Percentile(times, 99):F1} ms, max {Percentile(times, 100):F1} ms")).ConfigureAwait(false);
            return new Dictionary<string, object>
            {
                ["p50_ms"] = Math.Round(Percentile(times, 50), 1), ["p99_ms"] = Math.Round(Percentile(times, 99), 1), ["max_ms"] = Math.Round(Percentile(times, 100), 1),
            };
        }
    }

    /// <summary>Milliseconds from sending to the last byte of the body; the body, or null when the status was not 2xx.</summary>
    private static async Task<(double Ms, byte[]? Body)> TimeAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await send().ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, response.IsSuccessStatusCode ? body : null);
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
