using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.Events;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Events;

/// <summary>Routes under <c>/api/events</c>, in Prefect 3's shapes: clients send events (<c>POST /api/events</c>, 204),
/// query them a page at a time (<c>POST /filter</c>, then <c>GET /filter/next?page-token=</c>), count them
/// (<c>POST /count-by/{day|time|event|resource}</c>), and stream them over WebSockets (<see cref="EventSockets"/>).</summary>
internal static class EventEndpoints
{
    public static void MapEvents(this RouteGroupBuilder api)
    {
        var events = api.MapGroup("/events");
        events.MapPost("", CreateAsync);
        events.MapPost("/filter", async (HttpContext context, EventStore store, OrleansFlowSilo silo) =>
        {
            var body = await FilterBody.ReadAsync(context).ConfigureAwait(false);
            var limit = EventStore.MaxPageSize;
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("limit", out var l) && l.ValueKind != JsonValueKind.Null)
            {
                limit = l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var n) && n is >= 0 and <= EventStore.MaxPageSize
                    ? n
                    : throw EventBodies.Invalid(["body", "limit"], $"must be a whole number from 0 to {EventStore.MaxPageSize}");
            }

            var filter = EventBodies.Checked(EventBodies.Filter(body)).WithDefaults(silo.Clock.GetUtcNow());
            return await PageAsync(context, store, new PageToken(filter, limit, 0)).ConfigureAwait(false);
        });
        events.MapGet("/filter/next", async (HttpContext context, EventStore store) =>
            PageToken.Parse(context.Request.Query["page-token"]) is { } token
                ? await PageAsync(context, store, token).ConfigureAwait(false)
                : Results.Json(new { detail = "The page token is not valid." }, statusCode: StatusCodes.Status403Forbidden));
        events.MapPost("/count-by/{countable}", async (HttpContext context, string countable, EventStore store, OrleansFlowSilo silo) =>
        {
            var by = countable switch
            {
                "day" => EventCountable.Day,
                "time" => EventCountable.Time,
                "event" => EventCountable.Event,
                "resource" => EventCountable.Resource,
                _ => throw new ApiValidationException([new ApiError(["path", "countable"],
                    "value is not a valid enumeration member; permitted: 'day', 'time', 'event', 'resource'", "type_error.enum")]),
            };
            var body = await FilterBody.ReadAsync(context).ConfigureAwait(false);
            var filter = EventBodies.Checked(EventBodies.Filter(body, required: true)).WithDefaults(silo.Clock.GetUtcNow());
            var unit = EventTimeUnit.Day;
            var interval = 1.0;
            if (body.TryGetProperty("time_unit", out var u) && u.ValueKind != JsonValueKind.Null)
            {
                unit = EventBodies.Read<EventTimeUnit>(u, ["body", "time_unit"]);
            }

            if (body.TryGetProperty("time_interval", out var i) && i.ValueKind != JsonValueKind.Null)
            {
                interval = i.ValueKind == JsonValueKind.Number && i.GetDouble() >= 0.01
                    ? i.GetDouble()
                    : throw EventBodies.Invalid(["body", "time_interval"], "must be a number of at least 0.01");
            }

            try
            {
                return ApiResults.Json(await store.CountByAsync(filter, by, unit, interval, context.RequestAborted).ConfigureAwait(false));
            }
            catch (EventCountException ex)
            {
                return Results.Json(new { detail = ex.Message }, statusCode: StatusCodes.Status422UnprocessableEntity);
            }
        });
        events.MapEventSockets();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, EventStore store)
    {
        var body = await FilterBody.ReadAsync(context).ConfigureAwait(false);
        await store.InsertAsync(EventBodies.Events(body), context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> PageAsync(HttpContext context, EventStore store, PageToken token)
    {
        var (events, total) = await store.FilterAsync(token.Filter, token.Limit, token.Offset, context.RequestAborted).ConfigureAwait(false);
        var next = token.Offset + events.Count;
        string? link = null;
        if (events.Count > 0 && next < total)
        {
            var request = context.Request;
            link = $"{request.Scheme}://{request.Host}{request.PathBase}/api/events/filter/next?page-token={Uri.EscapeDataString((token with { Offset = next }).Encode())}";
        }

        return ApiResults.Json(new EventPage(events.Select(e => e.Event).ToList(), total, link));
    }

    /// <summary>A page of events (Prefect 3's <c>EventPage</c>).</summary>
    private sealed record EventPage(IReadOnlyList<Grains.Events.Event> Events, long Total, string? NextPage);

    /// <summary>What the next page repeats: the filter with its times fixed at the first request (so pages do not move as
    /// events arrive), the page size and where the page starts. Encoded as base64 of its JSON.</summary>
    private sealed record PageToken(EventFilter Filter, int Limit, int Offset)
    {
        public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this, OrleansFlowJson.Options));

        public static PageToken? Parse(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            try
            {
                var token = JsonSerializer.Deserialize<PageToken>(Encoding.UTF8.GetString(Convert.FromBase64String(text)), OrleansFlowJson.Options);
                return token is { Filter: not null, Limit: >= 0 and <= EventStore.MaxPageSize, Offset: >= 0 } ? token : null;
            }
            catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
            {
                return null;
            }
        }
    }
}
