using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrleansFlow.Gateway.Telemetry;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Grains.Telemetry;
using OrleansFlow.Testing;
using Xunit.Abstractions;

namespace OrleansFlow.Gateway.Tests.Telemetry;

/// <summary>OpenTelemetry in a real server with in-memory exporters: one <c>set_state</c> is one trace, from the HTTP
/// request through the grain call to the database commit, and the transition is counted. Listeners are process-wide, so
/// the tests pick their own spans out by trace id and their own points by tags.</summary>
public sealed class TelemetryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task SetState_IsOneTrace_FromTheRequestThroughTheGrainCallToTheCommit(DatabaseKind kind)
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var server = await InProcessServer.StartAsync(database.Options, configure: options => options.Telemetry = telemetry => telemetry
            .WithTracing(tracing => tracing.AddInMemoryExporter(spans))
            .WithMetrics(meters => meters.AddInMemoryExporter(metrics)));
        using var api = server.CreateClient();
        var flow = await PostAsync(api, "flows/", new { name = "traced" });
        var run = await PostAsync(api, "flow_runs/", new { flow_id = flow["id"]!.GetValue<string>(), state = new { type = "PENDING" } });
        var id = run["id"]!.GetValue<string>();
        var answer = await PostAsync(api, $"flow_runs/{id}/set_state", new { state = new { type = "RUNNING" } });
        Assert.Equal("ACCEPT", answer["status"]!.GetValue<string>());

        // The request's span ends after its response went out: wait for it, then for the trace's other spans.
        Activity? request = null;
        await Poll.UntilAsync(() =>
        {
            request = Snapshot(spans).FirstOrDefault(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("url.path"), $"/api/flow_runs/{id}/set_state"));
            return Task.FromResult(request is not null);
        }, Deadline, "the set_state request's span");
        var trace = Snapshot(spans).Where(s => s.TraceId == request!.TraceId).ToList();
        output.WriteLine(Describe(trace, request!, ""));

        // The commit's chain of parents leads to the request through the flow-run grain's call.
        var commit = Assert.Single(trace, s => s.OperationName == OrleansFlowTelemetry.CommitSpan);
        var chain = new List<Activity>();
        for (var span = commit; span is not null; span = trace.FirstOrDefault(s => s.SpanId == span.ParentSpanId))
        {
            chain.Add(span);
        }

        Assert.Same(request, chain[^1]);
        Assert.Equal("POST", request!.GetTagItem("http.request.method"));
        Assert.Equal(201, request.GetTagItem("http.response.status_code"));
        Assert.Contains(chain, s => s.Kind == ActivityKind.Server && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
            && s.DisplayName.Contains("FlowRunGrain", StringComparison.Ordinal) && s.DisplayName.Contains("SetState", StringComparison.Ordinal));
        Assert.Equal(kind == DatabaseKind.Postgres ? "postgresql" : "sqlite", commit.GetTagItem("db.system"));
        Assert.True(commit.GetTagItem("orleansflow.db.batch_size") is int size && size >= 1);
        Assert.Equal(ActivityStatusCode.Unset, commit.Status);

        // The transition is counted by kind, proposed state and answer.
        server.App.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var transitions = Snapshot(metrics).Where(m => m.Name == "orleansflow.transitions").ToList();
        Assert.NotEmpty(transitions);
        Assert.Contains(transitions.SelectMany(Points), point =>
            point.Tags.Contains(("orleansflow.run.kind", "flow_run")) && point.Tags.Contains(("orleansflow.state.proposed", "RUNNING"))
            && point.Tags.Contains(("orleansflow.orchestration.status", "ACCEPT")) && point.Value >= 1);
    }

    [Fact]
    public async Task SlotsInUse_AreReportedPerTag_WhileATaskRunHoldsThem()
    {
        var metrics = new List<Metric>();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await InProcessServer.StartAsync(database.Options, configure: options => options.Telemetry = telemetry => telemetry
            .WithMetrics(meters => meters.AddInMemoryExporter(metrics)));
        using var api = server.CreateClient();
        var tag = "otel-" + Guid.NewGuid().ToString("N")[..8];
        await PostAsync(api, "concurrency_limits/", new { tag, concurrency_limit = 2 });
        var flow = await PostAsync(api, "flows/", new { name = "slots" });
        var flowRun = await PostAsync(api, "flow_runs/", new { flow_id = flow["id"]!.GetValue<string>(), state = new { type = "RUNNING" } });
        var taskRun = await PostAsync(api, "task_runs/", new
        {
            flow_run_id = flowRun["id"]!.GetValue<string>(), task_key = "held", dynamic_key = "0", tags = new[] { tag },
            state = new { type = "PENDING" },
        });
        var answer = await PostAsync(api, $"task_runs/{taskRun["id"]!.GetValue<string>()}/set_state", new { state = new { type = "RUNNING" } });
        Assert.Equal("ACCEPT", answer["status"]!.GetValue<string>());

        var provider = server.App.Services.GetRequiredService<MeterProvider>();
        metrics.Clear();
        provider.ForceFlush();
        var slots = Snapshot(metrics).Where(m => m.Name == "orleansflow.concurrency.slots_in_use").SelectMany(Points)
            .Where(point => point.Tags.Contains(("orleansflow.concurrency.tag", tag))).ToList();
        Assert.Equal(1, Assert.Single(slots).Value);
    }

    [Fact]
    public void Otlp_IsOnOnlyWhenAnEndpointIsSet_AndNotDisabled()
    {
        Assert.False(TelemetryServiceCollectionExtensions.OtlpConfigured(_ => null));
        Assert.True(TelemetryServiceCollectionExtensions.OtlpConfigured(name => name == "OTEL_EXPORTER_OTLP_ENDPOINT" ? "http://collector:4317" : null));
        Assert.True(TelemetryServiceCollectionExtensions.OtlpConfigured(name => name == "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" ? "http://collector:4318/v1/traces" : null));
        Assert.False(TelemetryServiceCollectionExtensions.OtlpConfigured(name => name switch
        {
            "OTEL_EXPORTER_OTLP_ENDPOINT" => "http://collector:4317",
            "OTEL_SDK_DISABLED" => "true",
            _ => null,
        }));
    }

    private static List<T> Snapshot<T>(List<T> items)
    {
        lock (items)
        {
            return [.. items];
        }
    }

    private static IEnumerable<(List<(string, object?)> Tags, double Value)> Points(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new List<(string, object?)>();
            foreach (var tag in point.Tags)
            {
                tags.Add((tag.Key, tag.Value));
            }

            var value = metric.MetricType switch
            {
                MetricType.LongSum => point.GetSumLong(),
                MetricType.LongGauge => point.GetGaugeLastValueLong(),
                MetricType.DoubleSum => point.GetSumDouble(),
                MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
                _ => double.NaN,
            };
            yield return (tags, value);
        }
    }

    private static string Describe(List<Activity> trace, Activity span, string indent) =>
        $"{indent}{span.Source.Name}: {span.DisplayName} ({span.Kind}, {span.Duration.TotalMilliseconds:0.00} ms)\n"
        + string.Concat(trace.Where(s => s.ParentSpanId == span.SpanId).OrderBy(s => s.StartTimeUtc).Select(child => Describe(trace, child, indent + "  ")));

    private static async Task<JsonNode> PostAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>A fresh SQLite file or PostgreSQL database, deleted with it.</summary>
    private sealed class TestDatabase : IAsyncDisposable
    {
        private SqliteFiles? _files;
        private PostgresTestDatabase? _postgres;

        public Silo.Storage.DatabaseOptions Options { get; private set; } = null!;

        public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
        {
            var database = new TestDatabase();
            if (kind == DatabaseKind.Sqlite)
            {
                database._files = new SqliteFiles();
                database.Options = database._files.NewDatabase();
            }
            else
            {
                database._postgres = await PostgresServer.CreateDatabaseAsync();
                database.Options = database._postgres.Options();
            }

            return database;
        }

        public async ValueTask DisposeAsync()
        {
            _files?.Dispose();
            if (_postgres is not null)
            {
                await _postgres.DisposeAsync();
            }
        }
    }
}
