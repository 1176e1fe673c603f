using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>Bounded work: list pages render summaries, live streams are capped and refuse unknown runs, and the write
/// queue pushes back (429 with Retry-After) instead of growing without end.</summary>
public sealed class BoundsTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task ArtifactsPage_LargeArtifacts_RendersSummariesThatLinkToTheFullContent(DatabaseKind kind)
    {
        var server = await servers.ServerAsync(kind);
        var api = server.Api;
        var marker = Guid.NewGuid().ToString("N");
        var big = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            // 2 MB each: a page of 50 such used to be 100 MB of HTML. Keyed: the page lists each key's latest version.
            var text = $"# Report {marker}\n\n" + string.Concat(Enumerable.Repeat($"line {i} of a long report\n\n", 80_000));
            big.Add((await api.PostAsync("artifacts/", new JsonObject { ["key"] = $"big-{i}-{marker}", ["type"] = "markdown", ["data"] = text })).Expect(HttpStatusCode.Created).Id);
        }

        var mid = "## Medium\n\n" + new string('m', 10_000);
        var midId = (await api.PostAsync("artifacts/", new JsonObject { ["key"] = $"medium-{marker}", ["type"] = "markdown", ["data"] = mid })).Expect(HttpStatusCode.Created).Id;
        var small = (await api.PostAsync("artifacts/", new JsonObject { ["key"] = $"small-{marker}", ["type"] = "markdown", ["data"] = $"small-{marker}" })).Expect(HttpStatusCode.Created).Id;

        var page = await server.Client.GetStringAsync("artifacts");

        Assert.True(page.Length < 1_000_000, $"the page is {page.Length:N0} characters");
        Assert.Contains($"small-{marker}", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"/artifacts/{small}\"", page, StringComparison.Ordinal);
        foreach (var id in big.Append(midId))
        {
            Assert.Contains($"href=\"/artifacts/{id}\"", page, StringComparison.Ordinal);
        }

        var full = await server.Client.GetStringAsync($"artifacts/{big[0]}");
        Assert.Contains("line 0 of a long report", full, StringComparison.Ordinal);
        Assert.True(full.Length > 2_000_000, $"the full artifact page is {full.Length:N0} characters");
        var medium = await server.Client.GetStringAsync($"artifacts/{midId}");
        Assert.Contains(new string('m', 10_000), medium, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArtifactPage_UnknownId_SaysNotFound()
    {
        var server = await servers.ServerAsync(DatabaseKind.Sqlite);

        using var response = await server.Client.GetAsync($"artifacts/{Guid.NewGuid()}");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Artifact not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ui/runs/{0}/stream")]
    [InlineData("ui/task-runs/{0}/stream")]
    public async Task Stream_UnknownRun_Answers404(string path)
    {
        var server = await servers.ServerAsync(DatabaseKind.Sqlite);

        using var response = await server.Client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Stream_MoreThanTheClientsShare_Answers429UntilOneCloses()
    {
        await using var server = await OwnServer.StartAsync(DatabaseKind.Sqlite);
        var run = PrefectApi.IdOf(await server.Api.CreateFlowRunAsync(await server.Api.CreateFlowAsync("streams")));
        using var client = new HttpClient { BaseAddress = server.Inner.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 16; i++)
            {
                var response = await client.GetAsync($"ui/runs/{run}/stream", HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                open.Add(response);
            }

            using (var refused = await client.GetAsync($"ui/runs/{run}/stream", HttpCompletionOption.ResponseHeadersRead))
            {
                Assert.Equal((HttpStatusCode)429, refused.StatusCode);
                Assert.NotNull(refused.Headers.RetryAfter);
            }

            open[0].Dispose();
            open.RemoveAt(0);
            HttpResponseMessage? again = null;
            await Poll.UntilAsync(async () =>
            {
                var response = await client.GetAsync($"ui/runs/{run}/stream", HttpCompletionOption.ResponseHeadersRead);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    again = response;
                    return true;
                }

                response.Dispose();
                return false;
            }, TimeSpan.FromSeconds(30), "a stream opens again once one closed");
            open.Add(again!);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Write_QueueFull_Answers429WithRetryAfterAndWritesNothingThenRecovers(DatabaseKind kind)
    {
        await using var server = await OwnServer.StartAsync(kind, configure: options =>
        {
            options.Database.WriteQueueCapacity = 4;
            options.Database.WriteLanes = 1;
        });
        var api = server.Api;
        var before = await api.CountAsync("flows");
        var database = server.Silo.Database;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // One write holds the only lane; four more fill the queue.
        var held = database.WriteAsync(async _ =>
        {
            started.SetResult();
            await gate.Task;
            return 0;
        }, CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = Enumerable.Range(0, 4).Select(_ => database.WriteAsync(_ => Task.FromResult(1), CancellationToken.None)).ToList();

        var refused = await api.PostAsync("flows/", new { name = "refused-" + Guid.NewGuid().ToString("N")[..8] });
        await Assert.ThrowsAsync<WriteQueueFullException>(() => database.WriteAsync(_ => Task.FromResult(1), CancellationToken.None));

        gate.SetResult();
        await held;
        var results = await Task.WhenAll(queued);
        Assert.Equal(new[] { 1, 1, 1, 1 }, results);
        Assert.True(refused.Code == 429, $"expected 429, got {refused}");
        Assert.Equal(before, await api.CountAsync("flows"));
        await api.CreateFlowAsync("accepted-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(before + 1, await api.CountAsync("flows"));
    }

    [Fact]
    public async Task Write_QueueFull_ResponseCarriesRetryAfter()
    {
        await using var server = await OwnServer.StartAsync(DatabaseKind.Sqlite, configure: options => options.Database.WriteQueueCapacity = 1);
        var database = server.Silo.Database;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = database.WriteAsync(async _ =>
        {
            started.SetResult();
            await gate.Task;
            return 0;
        }, CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = database.WriteAsync(_ => Task.FromResult(1), CancellationToken.None);

        using var client = new HttpClient { BaseAddress = server.Inner.BaseAddress };
        using var response = await client.PostAsync("api/flows/", new StringContent("""{"name": "x"}""", System.Text.Encoding.UTF8, "application/json"));

        gate.SetResult();
        await held;
        await queued;
        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }
}
