using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFlow.Gateway.Tests.Contract;

/// <summary>Replays a recorded scenario against a live server over HTTP and collects every difference from the
/// recording.</summary>
/// <remarks>
/// <para>Order: exchanges are sent one at a time, in the order their recorded answers arrived. Most scenarios are
/// sequential, so this is the recorded order; where the client sent requests concurrently (06's four task runs racing for
/// two slots) the answer order is the order in which the real server decided them. A request that uses an id from an
/// answer started after that answer arrived, so the order never sends an id before it is known.</para>
/// <para>Ids: every UUID of a recorded answer is mapped to the UUID at the same JSON path of the live answer, and
/// recorded UUIDs in later paths, queries and bodies are rewritten through that map.</para>
/// <para>Times: date-times in request bodies are moved by (live now − recorded time of the request), so pause timeouts,
/// cache expirations and log timestamps keep their distance from the present.</para>
/// <para>WAITs: a proposal the client retried after a recorded WAIT (its previous recorded answer on the same run was
/// WAIT) may be answered WAIT again live, because the replay does not sleep the recorded gap; it is then re-sent after
/// the live <c>delay_seconds</c>, as the client does, until it is decided or a deadline passes.</para>
/// <para>Flows that existed before the scenario (the recording shared one server across scenarios, so e.g. 13's
/// first <c>POST /flows/</c> answered 200) are created beforehand with the recorded body, so the recorded 200 is
/// checked as it is rather than loosened to "200 or 201".</para>
/// </remarks>
internal sealed class ScenarioReplayer(Scenario scenario, HttpClient client)
{
    private static readonly TimeSpan WaitDeadline = TimeSpan.FromSeconds(90);

    private readonly IdMap _ids = new();
    private readonly RecordedClock _clock = RecordedClock.For(scenario);

    public async Task<IReadOnlyList<ExchangeDifference>> ReplayAsync(CancellationToken cancellationToken)
    {
        var differences = new List<ExchangeDifference>();
        await CreatePreexistingFlowsAsync(cancellationToken);

        var lastRecordedDecision = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var exchange in scenario.Exchanges.OrderBy(e => e.EndMs).ThenBy(e => e.Seq))
        {
            var live = await SendAsync(exchange, cancellationToken);
            if (exchange.IsSetState && exchange.OrchestrationStatus != "WAIT"
                && lastRecordedDecision.GetValueOrDefault(exchange.Path) == "WAIT")
            {
                live = await RetryWhileWaitingAsync(exchange, live, cancellationToken);
            }

            if (exchange.IsSetState)
            {
                lastRecordedDecision[exchange.Path] = exchange.OrchestrationStatus;
            }

            var problems = ContractCheck.Compare(exchange, live.Status, live.Body);
            if (problems.Count > 0)
            {
                differences.Add(new ExchangeDifference(exchange, live, problems));
            }

            _ids.Learn(exchange.Response, live.Body);
        }

        return differences;
    }

    private async Task CreatePreexistingFlowsAsync(CancellationToken cancellationToken)
    {
        var firstUpserts = scenario.Exchanges
            .Where(e => e is { Method: "POST", Path: "/api/flows/" })
            .GroupBy(e => e.Request?["name"]?.GetValue<string>())
            .Select(g => g.First());
        foreach (var upsert in firstUpserts.Where(e => e.Status == 200))
        {
            var created = await SendAsync(upsert, cancellationToken);
            if (created.Status != 201)
            {
                throw new InvalidOperationException(
                    $"{scenario.Name}: creating the pre-existing flow {upsert.Request?["name"]} answered {created.Status}: {created.Text}");
            }
        }

        // Likewise a work pool whose first create answered 409 (10 reuses the pool 09 created).
        var firstPools = scenario.Exchanges
            .Where(e => e is { Method: "POST", Path: "/api/work_pools/" })
            .GroupBy(e => e.Request?["name"]?.GetValue<string>())
            .Select(g => g.First());
        foreach (var create in firstPools.Where(e => e.Status == 409))
        {
            var created = await SendAsync(create, cancellationToken);
            if (created.Status != 201)
            {
                throw new InvalidOperationException(
                    $"{scenario.Name}: creating the pre-existing work pool {create.Request?["name"]} answered {created.Status}: {created.Text}");
            }
        }
    }

    private async Task<LiveAnswer> RetryWhileWaitingAsync(RecordedExchange exchange, LiveAnswer live, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (live.OrchestrationStatus == "WAIT" && deadline.Elapsed < WaitDeadline)
        {
            var seconds = live.Body?["details"]?["delay_seconds"]?.GetValue<double>() ?? 1;
            // The server asks the client to come back later; the client sleeps exactly that long, and so do we.
            await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(seconds, 0.05, 30)), cancellationToken);
            live = await SendAsync(exchange, cancellationToken);
        }

        return live;
    }

    private async Task<LiveAnswer> SendAsync(RecordedExchange exchange, CancellationToken cancellationToken)
    {
        var path = _ids.Rewrite(exchange.Path).TrimStart('/');
        var query = _ids.Rewrite(exchange.Query);
        using var request = new HttpRequestMessage(new HttpMethod(exchange.Method), query.Length > 0 ? $"{path}?{query}" : path);
        string? body = null;
        if (exchange.Request is not null)
        {
            var shifted = RecordedClock.Shift(exchange.Request, _clock.ShiftFor(exchange, DateTimeOffset.UtcNow));
            body = _ids.Rewrite(shifted!.ToJsonString());
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new LiveAnswer($"{exchange.Method} /{(query.Length > 0 ? $"{path}?{query}" : path)}", body, (int)response.StatusCode, text, ParseOrNull(text));
    }

    private static JsonNode? ParseOrNull(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}

/// <summary>What the live server answered to one replayed request.</summary>
internal sealed record LiveAnswer(string Request, string? RequestBody, int Status, string Text, JsonNode? Body)
{
    public string? OrchestrationStatus => Body is JsonObject obj && obj["status"] is JsonValue status
        && status.GetValueKind() == JsonValueKind.String ? status.GetValue<string>() : null;
}

/// <summary>One exchange whose live answer broke the recorded contract.</summary>
internal sealed record ExchangeDifference(RecordedExchange Recorded, LiveAnswer Live, IReadOnlyList<string> Problems)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"""
          {Recorded} (live: {Live.Request})
            {string.Join("\n    ", Problems)}
            sent:     {ContractCheck.Truncate(Live.RequestBody ?? "(no body)", 400)}
            recorded: {ContractCheck.Truncate(Recorded.Response?.ToJsonString() ?? "null", 400)}
            live:     {ContractCheck.Truncate(Live.Text, 400)}
        """);
}
