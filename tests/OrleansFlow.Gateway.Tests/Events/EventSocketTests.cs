using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;
using OrleansFlow.Gateway.Tests.Security;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Events;

/// <summary>The events WebSockets (<c>/api/events/out</c>, <c>/api/events/in</c>) in Prefect 3's protocol.</summary>
public sealed class EventSocketTests(ServerPool servers) : IClassFixture<ServerPool>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Out_StreamsARunsStateChangeLive_AfterBackfillingItsEarlierEvents(DatabaseKind database)
    {
        var server = await servers.ServerAsync(database);
        var api = server.Api;
        var runId = PrefectApi.IdOf(await api.CreateFlowRunAsync(await api.CreateFlowAsync($"socket-{Guid.NewGuid():N}")));
        using var timeout = new CancellationTokenSource(Patience);
        using var socket = await ConnectAsync(server.Client.BaseAddress!, "out", timeout.Token);
        await SendAsync(socket, new { type = "auth", token = (string?)null }, timeout.Token);
        await SendAsync(socket, new { type = "filter", filter = new { any_resource = new { id = new[] { $"prefect.flow-run.{runId}" } } } }, timeout.Token);

        var backfilled = await ReceiveAsync(socket, timeout.Token);
        await api.AcceptStateAsync("flow_runs", runId, "RUNNING");
        var live = await ReceiveAsync(socket, timeout.Token);

        Assert.Equal("event", backfilled["type"]!.GetValue<string>());
        Assert.Equal("prefect.flow-run.Pending", backfilled["event"]!["event"]!.GetValue<string>());
        Assert.Equal("prefect.flow-run.Running", live["event"]!["event"]!.GetValue<string>());
        Assert.Equal(backfilled["event"]!["id"]!.GetValue<string>(), live["event"]!["follows"]!.GetValue<string>());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    [Fact]
    public async Task In_StoresEachEventSentOnTheSocket()
    {
        var server = await servers.ServerAsync(DatabaseKind.Sqlite);
        var thing = $"acme.socket-in-{Guid.NewGuid():N}";
        using var timeout = new CancellationTokenSource(Patience);
        using var socket = await ConnectAsync(server.Client.BaseAddress!, "in", timeout.Token);
        await SendAsync(socket, new { type = "auth", token = (string?)null }, timeout.Token);

        await SendAsync(socket, EventRoutesTests.ClientEvent("acme.streamed", thing, DateTimeOffset.UtcNow), timeout.Token);
        await SendAsync(socket, EventRoutesTests.ClientEvent("acme.streamed", thing, DateTimeOffset.UtcNow), timeout.Token);

        await Poll.UntilAsync(async () => (await server.Api.PostAsync("events/filter", new { filter = new { resource = new { id = new[] { thing } } } }))
            .Expect(HttpStatusCode.OK).Object["total"]!.GetValue<int>() == 2, Patience, "both streamed events stored");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    [Fact]
    public async Task Out_WithAuthenticationOn_ClosesOnABadTokenAndStreamsWithAGoodOne()
    {
        await using var auth = await AuthServer.StartAsync(DatabaseKind.Sqlite);
        var address = auth.Server.Inner.BaseAddress;
        using var timeout = new CancellationTokenSource(Patience);

        using var refused = await ConnectAsync(address, "out", timeout.Token);
        await SendAsync(refused, new { type = "auth", token = "wrong-key" }, timeout.Token);
        var closing = await refused.ReceiveAsync(new byte[256], timeout.Token);

        using var accepted = await ConnectAsync(address, "out", timeout.Token);
        await SendAsync(accepted, new { type = "auth", token = AuthServer.AdminKey }, timeout.Token);
        await SendAsync(accepted, new { type = "filter", filter = new { @event = new { prefix = new[] { "acme.auth" } } } }, timeout.Token);
        (await auth.AsAsync(AuthServer.AdminKey, HttpMethod.Post, "events", new[] { EventRoutesTests.ClientEvent("acme.auth.ok", "acme.auth.1", DateTimeOffset.UtcNow) }))
            .Expect(HttpStatusCode.NoContent);
        var received = await ReceiveAsync(accepted, timeout.Token);

        Assert.Equal(WebSocketMessageType.Close, closing.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, refused.CloseStatus);
        Assert.Equal("acme.auth.ok", received["event"]!["event"]!.GetValue<string>());
        (await auth.AsAsync(null, HttpMethod.Post, "events", Array.Empty<object>())).Expect(HttpStatusCode.Unauthorized);
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri baseAddress, string route, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("prefect");
        var uri = new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws", Path = $"/api/events/{route}" }.Uri;
        await socket.ConnectAsync(uri, cancellationToken);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, object message, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<JsonObject> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
    }
}
