using System.Net;
using System.Text;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Validation;

/// <summary>DESIGN §8: bad input gets a clear 4xx naming the field (422 with <c>exception_detail[].loc</c>, as Prefect
/// answers), never a 500, writes nothing, and the server keeps serving.</summary>
public sealed class BadInputTests(SeededServerFixture seeded) : IClassFixture<SeededServerFixture>
{
    private const string Valid = """{"state": {"type": "RUNNING"}}""";

    /// <summary>method, path, body (null: none), the <c>loc</c> the 422 must name.</summary>
    public static TheoryData<string, string, string?, string> UnprocessableRequests() => new()
    {
        // Malformed or empty bodies.
        { "POST", "flows/", """{"name": "x",""", "body" },
        { "POST", "flows/", "", "body" },
        { "POST", "flows/", "null", "body" },
        { "POST", "flows/", "[]", "body" },
        { "POST", "flow_runs/filter", """{"flow_runs": """, "body" },
        { "POST", "task_runs/", "{'flow_run_id': 1}", "body" },
        // Missing required fields.
        { "POST", "flows/", "{}", "body.name" },
        { "POST", "flow_runs/", "{}", "body.flow_id" },
        { "POST", "task_runs/", """{"task_key": "t", "dynamic_key": "0"}""", "body.flow_run_id" },
        { "POST", "task_runs/", """{"flow_run_id": "{flow_run}", "dynamic_key": "0"}""", "body.task_key" },
        { "POST", "task_runs/", """{"flow_run_id": "{flow_run}", "task_key": "t"}""", "body.dynamic_key" },
        { "POST", "flow_runs/{flow_run}/set_state", "{}", "body.state" },
        { "POST", "flow_runs/{flow_run}/set_state", "", "body.state" },
        { "POST", "flow_runs/{flow_run}/set_state", """{"state": {}}""", "body.state.type" },
        { "POST", "task_runs/{task_run}/set_state", """{"state": null}""", "body.state" },
        { "POST", "concurrency_limits/", """{"concurrency_limit": 2}""", "body.tag" },
        { "POST", "concurrency_limits/", """{"tag": "t"}""", "body.concurrency_limit" },
        // Wrong types.
        { "POST", "flows/", """{"name": 5}""", "body.name" },
        { "POST", "flows/", """{"name": "x", "tags": "a"}""", "body.tags" },
        { "POST", "flows/", """{"name": "x", "tags": [null]}""", "body.tags.0" },
        { "POST", "flow_runs/", """{"flow_id": 5}""", "body.flow_id" },
        { "POST", "flow_runs/", """{"flow_id": "not-a-uuid"}""", "body.flow_id" },
        { "POST", "flow_runs/", """{"flow_id": "{flow}", "parameters": [1]}""", "body.parameters" },
        { "POST", "flow_runs/", """{"flow_id": "{flow}", "empirical_policy": {"retries": "many"}}""", "body.empirical_policy.retries" },
        { "POST", "flow_runs/", """{"flow_id": "{flow}", "empirical_policy": {"retries": 1e400}}""", "body.empirical_policy.retries" },
        { "POST", "flow_runs/{flow_run}/set_state", """{"state": {"type": "RUNNING"}, "force": "maybe"}""", "body.force" },
        { "POST", "flow_runs/{flow_run}/set_state", """{"state": {"type": "RUNNING", "state_details": {"scheduled_time": "yesterday"}}}""", "body.state.state_details.scheduled_time" },
        { "POST", "task_runs/", """{"flow_run_id": "{flow_run}", "task_key": "t", "dynamic_key": 0}""", "body.dynamic_key" },
        { "POST", "concurrency_limits/", """{"tag": "t", "concurrency_limit": "two"}""", "body.concurrency_limit" },
        { "POST", "concurrency_limits/", """{"tag": "t", "concurrency_limit": -1}""", "body.concurrency_limit" },
        { "PATCH", "flow_runs/{flow_run}", """{"tags": 5}""", "body.tags" },
        { "PATCH", "flow_runs/{flow_run}", """{"parameters": "x"}""", "body.parameters" },
        // Names that would be unreachable by the routes that take them (Prefect refuses / % & > <), keys likewise.
        { "POST", "flows/", """{"name": "a/b"}""", "body.name" },
        { "POST", "flows/", """{"name": "fish & chips"}""", "body.name" },
        { "POST", "deployments/", """{"name": "x<y", "flow_id": "{flow}"}""", "body.name" },
        { "POST", "flow_runs/{flow_run}/input", """{"key": "", "value": "v"}""", "body.key" },
        // Negative limits.
        { "POST", "work_queues/00000000-0000-0000-0000-000000000001/get_runs", """{"limit": -5}""", "body.limit" },
        // Unknown enum values.
        { "POST", "flow_runs/", """{"flow_id": "{flow}", "state": {"type": "RUNING"}}""", "body.state.type" },
        { "POST", "flow_runs/{flow_run}/set_state", """{"state": {"type": "RUNING"}}""", "body.state.type" },
        { "POST", "task_runs/{task_run}/set_state", """{"state": {"type": "DONE"}}""", "body.state.type" },
        { "POST", "flow_runs/filter", """{"flow_runs": {"state": {"type": {"any_": ["RUNING"]}}}}""", "body.flow_runs.state.type.any_.0" },
        { "POST", "flow_runs/filter", """{"sort": "SIDEWAYS"}""", "body.sort" },
        { "POST", "task_runs/filter", """{"sort": "NAME_SIDEWAYS"}""", "body.sort" },
        // Unknown filter fields and operators, invalid UUIDs in filters.
        { "POST", "flow_runs/filter", """{"flow_runs": {"nme": {"any_": ["x"]}}}""", "body.flow_runs.nme" },
        { "POST", "flow_runs/filter", """{"flow_runs": {"name": {"eq_": "x"}}}""", "body.flow_runs.name.eq_" },
        { "POST", "flow_runs/filter", """{"flow_runs": {"id": {"any_": ["nope"]}}}""", "body.flow_runs.id.any_.0" },
        { "POST", "flow_runs/count", """{"flows": {"id": {"any_": [5]}}}""", "body.flows.id.any_.0" },
        { "POST", "task_runs/filter", """{"task_runs": {"tags": {"all_": "x"}}}""", "body.task_runs.tags.all_" },
        { "POST", "task_runs/count", """{"task_runs": {"flow_run_id": {"any_": ["{flow_run}", "x"]}}}""", "body.task_runs.flow_run_id.any_.1" },
        { "POST", "flows/filter", """{"flows": {"name": {"like_": 7}}}""", "body.flows.name.like_" },
        { "POST", "flow_runs/filter", """{"flow_runs": {"start_time": {"before_": "soon"}}}""", "body.flow_runs.start_time.before_" },
        // Paging out of range.
        { "POST", "flow_runs/filter", """{"limit": 201}""", "body.limit" },
        { "POST", "task_runs/filter", """{"limit": -1}""", "body.limit" },
        { "POST", "flows/filter", """{"limit": 1000}""", "body.limit" },
        { "POST", "flow_runs/filter", """{"offset": -1}""", "body.offset" },
        { "POST", "flow_runs/filter", """{"limit": "ten"}""", "body.limit" },
        { "POST", "concurrency_limits/filter", """{"limit": 500}""", "body.limit" },
        // Invalid UUIDs in paths and queries.
        { "GET", "flow_runs/not-a-uuid", null, "path.id" },
        { "GET", "task_runs/not-a-uuid", null, "path.id" },
        { "GET", "flows/not-a-uuid", null, "path.id" },
        { "DELETE", "flow_runs/1234", null, "path.id" },
        { "POST", "flow_runs/not-a-uuid/set_state", Valid, "path.id" },
        { "POST", "task_runs/not-a-uuid/set_state", Valid, "path.id" },
        { "GET", "flow_run_states/?flow_run_id=nope", null, "query.flow_run_id" },
        { "GET", "flow_run_states/", null, "query.flow_run_id" },
        { "GET", "task_run_states/?task_run_id=nope", null, "query.task_run_id" },
    };

    [Theory]
    [MemberData(nameof(UnprocessableRequests))]
    public async Task Send_BadRequest_Answers422NamingTheFieldAndWritesNothing(string method, string path, string? body, string loc)
    {
        var before = await SnapshotAsync();

        var response = await SendAsync(method, seeded.Fill(path), body is null ? null : seeded.Fill(body));

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        Assert.Equal("Invalid request received.", response.Object["exception_message"]?.GetValue<string>());
        Assert.Contains(loc, response.ErrorLocations);
        await AssertUnchangedAsync(before);
    }

    /// <summary>Routes that do not exist, or not for the method, answer as Prefect's server does: JSON with a detail, not an
    /// empty body.</summary>
    [Theory]
    [InlineData("GET", "no_such_thing/", 404, "Not Found")]
    [InlineData("POST", "variables/name/x", 405, "Method Not Allowed")]
    [InlineData("GET", "automations/not-a-uuid", 404, "Not Found")]
    [InlineData("DELETE", "health", 405, "Method Not Allowed")]
    public async Task Send_NoSuchRoute_AnswersJsonWithADetail(string method, string path, int status, string detail)
    {
        var response = await SendAsync(method, path, method == "GET" || method == "DELETE" ? null : "{}");

        Assert.Equal(status, response.Code);
        Assert.Equal(detail, response.Object["detail"]?.GetValue<string>());
    }

    [Fact]
    public async Task CreateFlowRun_UnknownFlow_Answers409AndWritesNothing()
    {
        var before = await SnapshotAsync();

        var response = await seeded.Api.PostAsync("flow_runs/", new { flow_id = Guid.NewGuid(), state = new { type = "PENDING" } });

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task CreateTaskRun_UnknownFlowRun_Answers409AndWritesNothing()
    {
        var before = await SnapshotAsync();

        var response = await seeded.Api.PostAsync("task_runs/", new { flow_run_id = Guid.NewGuid(), task_key = "t", dynamic_key = "0" });

        Assert.Equal(HttpStatusCode.Conflict, response.Status);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Send_DeeplyNestedJson_Answers422()
    {
        var before = await SnapshotAsync();
        var nested = new StringBuilder().Insert(0, """{"a":""", 200).Append('1').Append('}', 200).ToString();

        var response = await SendAsync("POST", "flow_runs/", $$"""{"flow_id": "{{seeded.FlowId}}", "parameters": {{nested}}}""");

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Send_InvalidUtf8_Answers422()
    {
        var before = await SnapshotAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/flows/")
        {
            Content = new ByteArrayContent([.. "{\"name\": \""u8, 0xC3, 0x28, .. "\"}"u8]),
        };
        request.Content.Headers.ContentType = new("application/json");

        var response = await seeded.Api.SendAsync(request);

        Assert.True(response.Status == HttpStatusCode.UnprocessableEntity, $"expected 422, got {response}");
        await AssertUnchangedAsync(before);
    }

    [Theory]
    [InlineData("flows/")]
    [InlineData("flow_runs/")]
    [InlineData("flow_runs/filter")]
    [InlineData("flow_runs/{flow_run}/set_state")]
    public async Task Send_BodyOver16MiB_Answers413AndWritesNothing(string path)
    {
        var before = await SnapshotAsync();
        // A valid-looking JSON document just past the limit: the server must refuse it by size, not parse it.
        var blob = new string('x', 16 * 1024 * 1024);
        var body = $$$"""{"name": "big", "flow_id": "{{{seeded.FlowId}}}", "parameters": {"blob": "{{{blob}}}"}}""";

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/" + seeded.Fill(path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        // As curl does for big uploads: the server refuses on the Content-Length before the body is sent, so the client
        // reads the 413 instead of failing on a connection the server closed mid-upload.
        request.Headers.ExpectContinue = true;

        var response = await seeded.Api.SendAsync(request);

        Assert.True(response.Status == HttpStatusCode.RequestEntityTooLarge, $"expected 413, got {response}");
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Send_ChunkedBodyOver16MiB_Answers413()
    {
        var before = await SnapshotAsync();
        var bytes = Encoding.UTF8.GetBytes($$"""{"name": "{{new string('x', 17 * 1024 * 1024)}}"}""");

        // With no Content-Length the server learns the size only while reading, answers 413 and closes the connection
        // mid-upload; an HttpClient then fails on the write (broken pipe) before it reads the answer. So the request goes
        // over a raw socket whose answer is read while the body is still being written.
        var address = seeded.Api.Client.BaseAddress!;
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(address.Host, address.Port);
        var stream = socket.GetStream();
        var answer = ReadAnswerAsync(stream);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /api/flows/ HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
            for (var offset = 0; offset < bytes.Length && !answer.IsCompleted; offset += 64 * 1024)
            {
                var chunk = bytes.AsMemory(offset, Math.Min(64 * 1024, bytes.Length - offset));
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n"));
                await stream.WriteAsync(chunk);
                await stream.WriteAsync("\r\n"u8.ToArray());
            }

            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // The server closed the connection after answering: the answer is what counts.
        }

        var status = await answer.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("HTTP/1.1 413", status, StringComparison.Ordinal);
        await AssertUnchangedAsync(before);
    }

    private async Task<ApiResponse> SendAsync(string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "api/" + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await seeded.Api.SendAsync(request);
    }

    /// <summary>Everything a bad request could have half-written: row counts, the seeded runs and their histories.</summary>
    private async Task<string> SnapshotAsync()
    {
        var api = seeded.Api;
        var parts = new List<string>
        {
            $"flows={await api.CountAsync("flows")}",
            $"flow_runs={await api.CountAsync("flow_runs")}",
            $"task_runs={await api.CountAsync("task_runs")}",
        };
        foreach (var path in new[] { $"flow_runs/{seeded.FlowRunId}", $"task_runs/{seeded.TaskRunId}" })
        {
            var run = (await api.GetAsync(path)).Expect(HttpStatusCode.OK).Object;
            parts.Add($"{path}: {run["state_id"]} {run["state_type"]} {run["run_count"]} {run["updated"]} {run["tags"]?.ToJsonString()} {run["parameters"]?.ToJsonString()}");
        }

        parts.Add("flow run states=" + (await api.GetAsync($"flow_run_states/?flow_run_id={seeded.FlowRunId}")).Expect(HttpStatusCode.OK).Array.Count);
        parts.Add("task run states=" + (await api.GetAsync($"task_run_states/?task_run_id={seeded.TaskRunId}")).Expect(HttpStatusCode.OK).Array.Count);
        parts.Add("limits=" + (await api.PostAsync("concurrency_limits/filter", new { })).Expect(HttpStatusCode.OK).Text);
        return string.Join("\n", parts);
    }

    private async Task AssertUnchangedAsync(string before)
    {
        (await seeded.Api.GetAsync("health")).Expect(HttpStatusCode.OK);
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>A stream whose length is unknown, so the client sends it chunked (no Content-Length to refuse early).</summary>
    /// <summary>Reads the status line of the answer on <paramref name="stream"/> (empty when the connection ends first).</summary>
    private static async Task<string> ReadAnswerAsync(Stream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            while (!received.Contains((byte)'\n'))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }

                received.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (IOException)
        {
            // Reset after the answer arrived (or before: then the assertion shows what was received).
        }

        return Encoding.ASCII.GetString([.. received]).Split('\n')[0];
    }
}
