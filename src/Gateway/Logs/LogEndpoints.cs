using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.Logs;
using OrleansFlow.Silo.Runtime;
using Wire = OrleansFlow.Client;

namespace OrleansFlow.Gateway.Logs;

/// <summary>Routes under <c>/api/logs</c>. Ingestion is a hot path: the whole batch is checked first (a 422 names the
/// entry and the field, e.g. <c>["body", 3, "level"]</c>, as the binding of <see cref="Wire.LogCreate"/> reports it),
/// then written in one transaction.</summary>
internal static class LogEndpoints
{
    public static void MapLogs(this RouteGroupBuilder api)
    {
        var logs = api.MapGroup("/logs");
        logs.MapPost("/", async (HttpContext context, OrleansFlowSilo silo) =>
        {
            var entries = await RequestBody.ReadAsync<List<Wire.LogCreate?>>(context).ConfigureAwait(false);
            var batch = new List<RunLog>(entries.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                batch.Add(ToLog(entries[i], i));
            }

            await new LogCatalog(silo).CreateAsync(batch, context.RequestAborted).ConfigureAwait(false);
            return Results.Json<object?>(null, statusCode: StatusCodes.Status201Created);
        });
        logs.MapPost("/filter", async (HttpContext context, OrleansFlowSilo silo) =>
            ApiResults.Json(await new LogCatalog(silo).FilterAsync(await FilterBody.ReadAsync(context).ConfigureAwait(false), context.RequestAborted).ConfigureAwait(false)));
    }

    private static RunLog ToLog(Wire.LogCreate? entry, int index) => entry is null
        ? throw new ApiValidationException([new ApiError(["body", index], "none is not an allowed value", "type_error.none.not_allowed")])
        : new RunLog
        {
            Id = Guid.Empty,
            Name = entry.Name,
            Level = entry.Level,
            Message = entry.Message,
            Timestamp = entry.Timestamp,
            FlowRunId = entry.FlowRunId,
            TaskRunId = entry.TaskRunId,
        };
}
