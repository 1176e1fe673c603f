using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.Security;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.ApiKeys;
using OrleansFlow.Silo.Events;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Gateway.Events;

/// <summary>The events WebSockets, in Prefect 3's protocol. A client that asks for the <c>prefect</c> subprotocol first
/// sends <c>{"type":"auth","token":KEY}</c> (the token is checked when the server requires API keys); a client without
/// the subprotocol is accepted without that message only when the server does not require keys (Prefect's legacy mode).
/// <c>/api/events/out</c> then takes <c>{"type":"filter","filter":{...},"backfill":true}</c> and sends
/// <c>{"type":"event","event":{...}}</c>: first the matching events of the last <see cref="MaxBackfill"/> (oldest first,
/// at most <see cref="BackfillLimit"/>), then new ones live from the <see cref="EventFeed"/>, each once.
/// <c>/api/events/in</c> takes one event per message and stores it.</summary>
internal static class EventSockets
{
    /// <summary>How far back a subscriber's backfill looks (Prefect's default: 15 minutes).</summary>
    public static readonly TimeSpan MaxBackfill = TimeSpan.FromMinutes(15);

    /// <summary>The most events a backfill sends.</summary>
    public const int BackfillLimit = 1000;

    private const int MaxMessageBytes = 1024 * 1024;

    public static void MapEventSockets(this RouteGroupBuilder events)
    {
        events.MapGet("/out", async (HttpContext context, EventFeed feed, EventStore store, OrleansFlowSilo silo) =>
        {
            if (await AcceptAsync(context, ApiKeyRole.ReadOnly).ConfigureAwait(false) is not { } socket)
            {
                return Results.Empty;
            }

            using (socket)
            {
                await StreamOutAsync(socket, feed, store, silo.Clock, context.RequestAborted).ConfigureAwait(false);
            }

            return Results.Empty;
        });
        events.MapGet("/in", async (HttpContext context, EventStore store) =>
        {
            if (await AcceptAsync(context, ApiKeyRole.Runner).ConfigureAwait(false) is not { } socket)
            {
                return Results.Empty;
            }

            using (socket)
            {
                while (await ReceiveAsync(socket, context.RequestAborted).ConfigureAwait(false) is { } message)
                {
                    Event received;
                    try
                    {
                        received = EventBodies.Event(message.RootElement, ["event"]);
                    }
                    catch (ApiValidationException ex)
                    {
                        await CloseAsync(socket, WebSocketCloseStatus.InvalidPayloadData, Shorten(ex.Message)).ConfigureAwait(false);
                        break;
                    }
                    finally
                    {
                        message.Dispose();
                    }

                    await store.InsertAsync([received], context.RequestAborted).ConfigureAwait(false);
                }
            }

            return Results.Empty;
        });
    }

    private static async Task StreamOutAsync(WebSocket socket, EventFeed feed, EventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        EventFilter filter;
        bool backfill;
        using (var message = await ReceiveAsync(socket, cancellationToken).ConfigureAwait(false))
        {
            if (message is null)
            {
                return;
            }

            var root = message.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "filter")
            {
                await CloseAsync(socket, WebSocketCloseStatus.ProtocolError, "Expected 'filter' message").ConfigureAwait(false);
                return;
            }

            try
            {
                filter = root.TryGetProperty("filter", out var f) && f.ValueKind != JsonValueKind.Null
                    ? EventBodies.Checked(EventBodies.Read<EventFilter>(f, ["filter"]))
                    : new EventFilter();
            }
            catch (ApiValidationException ex)
            {
                await CloseAsync(socket, WebSocketCloseStatus.ProtocolError, Shorten($"Invalid filter: {ex.Message}")).ConfigureAwait(false);
                return;
            }

            backfill = !root.TryGetProperty("backfill", out var b) || b.ValueKind != JsonValueKind.False;
        }

        // Live events are matched without an upper time bound; the backfill looks back at most MaxBackfill.
        var now = clock.GetUtcNow();
        var since = filter.Occurred.Since is { } s && s > now - MaxBackfill ? s : now - MaxBackfill;
        var live = filter with { Occurred = new EventOccurredFilter { Since = filter.Occurred.Since }, Order = EventOrder.Asc };

        // Subscribe first, then backfill, so nothing falls between the two; the stream skips what the backfill sent.
        await using var subscription = feed.Subscribe(live.Includes);
        var sent = new HashSet<Guid>();
        if (backfill)
        {
            var (events, _) = await store.FilterAsync(filter with { Occurred = new EventOccurredFilter { Since = since, Until = filter.Occurred.Until ?? now }, Order = EventOrder.Asc },
                BackfillLimit, 0, cancellationToken).ConfigureAwait(false);
            foreach (var stored in events)
            {
                sent.Add(stored.Event.Id);
                await SendAsync(socket, stored.Event, cancellationToken).ConfigureAwait(false);
            }
        }

        // The client sends nothing more; reading notices it closing.
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchCloseAsync(socket, closed);
        try
        {
            await foreach (var stored in subscription.ReadAllAsync(closed.Token).ConfigureAwait(false))
            {
                if (sent.Count > 0 && sent.Remove(stored.Event.Id))
                {
                    continue;
                }

                await SendAsync(socket, stored.Event, closed.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client left or the server stops.
        }
        catch (EventFeedOverflowException ex)
        {
            await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, Shorten(ex.Message)).ConfigureAwait(false);
        }

        await closed.CancelAsync().ConfigureAwait(false);
        await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, null).ConfigureAwait(false);
    }

    /// <summary>Accepts the socket and checks who is on it (see the class summary); answers and closes a refusal itself.</summary>
    private static async Task<WebSocket?> AcceptAsync(HttpContext context, ApiKeyRole role)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { detail = "This route takes a WebSocket connection." }).ConfigureAwait(false);
            return null;
        }

        var options = context.RequestServices.GetRequiredService<ServerOptions>();
        var prefect = context.WebSockets.WebSocketRequestedProtocols.Contains("prefect");
        var socket = await context.WebSockets.AcceptWebSocketAsync(prefect ? "prefect" : null).ConfigureAwait(false);
        if (!prefect)
        {
            if (!options.AuthenticationEnabled)
            {
                return socket;
            }

            await CloseAsync(socket, WebSocketCloseStatus.ProtocolError, "'prefect' subprotocol required when auth is configured").ConfigureAwait(false);
            socket.Dispose();
            return null;
        }

        using var message = await ReceiveAsync(socket, context.RequestAborted).ConfigureAwait(false);
        var root = message?.RootElement;
        if (root is not { ValueKind: JsonValueKind.Object } auth || !auth.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "auth")
        {
            await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, "Expected 'auth' message").ConfigureAwait(false);
            socket.Dispose();
            return null;
        }

        if (options.AuthenticationEnabled)
        {
            var token = auth.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var authenticator = context.RequestServices.GetRequiredService<Authenticator>();
            var principal = token is { Length: > 0 } ? await authenticator.AuthenticateAsync(token, context.RequestAborted).ConfigureAwait(false) : null;
            if (principal is null || principal.Role < role)
            {
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, principal is null ? "Invalid token" : $"The key needs the role {ApiKeyRoles.Name(role)}").ConfigureAwait(false);
                socket.Dispose();
                return null;
            }
        }

        return socket;
    }

    private static async Task WatchCloseAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, closed.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Gone.
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>The next text message as JSON, or null when the client closed; a message that is not JSON closes the socket.</summary>
    private static async Task<JsonDocument?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, null).ConfigureAwait(false);
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxMessageBytes)
                {
                    await CloseAsync(socket, WebSocketCloseStatus.MessageTooBig, "Message too big").ConfigureAwait(false);
                    return null;
                }

                if (result.EndOfMessage)
                {
                    break;
                }
            }

            return JsonDocument.Parse(message.ToArray());
        }
        catch (JsonException)
        {
            await CloseAsync(socket, WebSocketCloseStatus.InvalidPayloadData, "Messages must be JSON").ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            return null;
        }
    }

    private static Task SendAsync(WebSocket socket, Event e, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "event", @event = e }, OrleansFlowJson.Options), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string? reason)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, reason, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (WebSocketException)
        {
            // The client is gone already.
        }
    }

    /// <summary>A close reason fits in 123 bytes.</summary>
    private static string Shorten(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= 123)
        {
            return reason;
        }

        // Cut to 120 bytes and add the ellipsis (3 bytes in UTF-8).
        var cut = reason[..Math.Min(reason.Length, 120)];
        while (Encoding.UTF8.GetByteCount(cut) > 120)
        {
            cut = cut[..^1];
        }

        return cut + "…";
    }
}
