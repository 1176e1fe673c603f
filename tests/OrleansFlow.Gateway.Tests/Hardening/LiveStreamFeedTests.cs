using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>The run pages' live streams share one change feed: each stream still gets its own run's new lines and state
/// changes (and nothing of the other runs'), on both databases.</summary>
public sealed class LiveStreamFeedTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ManyStreams_EachGetsItsOwnRunsLinesAndStates(DatabaseKind kind)
    {
        await using var server = await OwnServer.StartAsync(kind);
        var api = server.Api;
        var flowId = await api.CreateFlowAsync("feed");
        var runs = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            runs.Add(PrefectApi.IdOf(await api.CreateFlowRunAsync(flowId, name: $"feed-{i}")));
        }

        var task = PrefectApi.IdOf(await api.CreateTaskRunAsync(runs[0]));
        using var client = new HttpClient { BaseAddress = server.Inner.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var streams = new List<EventStream>();
        try
        {
            foreach (var run in runs)
            {
                streams.Add(await EventStream.OpenAsync(client, $"ui/runs/{run}/stream"));
            }

            var taskStream = await EventStream.OpenAsync(client, $"ui/task-runs/{task}/stream");
            streams.Add(taskStream);
            foreach (var stream in streams)
            {
                await stream.ReadUntilAsync("state", "PENDING", Deadline);
            }

            var line = "only-for-run-3-" + Guid.NewGuid().ToString("N");
            (await api.PostAsync("logs/", new[]
            {
                new { name = "feed", level = 20, message = line, timestamp = DateTimeOffset.UtcNow, flow_run_id = runs[3], task_run_id = (Guid?)null },
            })).Expect(HttpStatusCode.Created);
            await api.AcceptStateAsync("flow_runs", runs[5], "RUNNING");
            await api.AcceptStateAsync("flow_runs", runs[0], "RUNNING");
            await api.AcceptStateAsync("task_runs", task, "RUNNING");

            await streams[3].ReadUntilAsync("log", line, Deadline);
            await streams[5].ReadUntilAsync("state", "RUNNING", Deadline);
            await taskStream.ReadUntilAsync("state", "RUNNING", Deadline);

            // A later change of run 5 reaches its stream too; the line of run 3 reached no other stream.
            await api.AcceptStateAsync("flow_runs", runs[5], "COMPLETED");
            await streams[5].ReadUntilAsync("state", "COMPLETED", Deadline);
            Assert.DoesNotContain(line, streams[5].Seen, StringComparison.Ordinal);
            Assert.DoesNotContain(line, streams[0].Seen, StringComparison.Ordinal);
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
        }
    }

    /// <summary>A Server-Sent Events response read line by line.</summary>
    private sealed class EventStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        private readonly System.Text.StringBuilder _seen = new();

        public string Seen => _seen.ToString();

        public static async Task<EventStream> OpenAsync(HttpClient client, string path)
        {
            var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        /// <summary>Reads until an event named <paramref name="name"/> whose data contains <paramref name="text"/>.</summary>
        public async Task ReadUntilAsync(string name, string text, TimeSpan deadline)
        {
            using var timeout = new CancellationTokenSource(deadline);
            string? current = null;
            while (true)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException("the stream ended");
                _seen.AppendLine(line);
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    current = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && current == name && line.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
