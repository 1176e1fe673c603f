using System.Net;
using OrleansFlow.Testing;

namespace OrleansFlow.Gateway.Tests.Infrastructure;

/// <summary>Waits for the server's event dispatcher, which feeds automations and flow run notification policies.</summary>
internal static class EventDispatch
{
    /// <summary>Waits until the dispatcher delivers events: it starts from the newest stored event the first time it
    /// runs, so an event or a state change stored before then never reaches an automation or a policy. Posts a warm-up
    /// event every second until a warm-up automation has fired on one, then deletes the automation.</summary>
    public static async Task RunningAsync(PrefectApi api)
    {
        var name = "orleansflow.test.warm-up-" + Guid.NewGuid().ToString("N")[..8];
        var warmUp = (await api.PostAsync("automations/", $$"""
            {"name": "warm-up", "trigger": {"posture": "Reactive", "expect": ["{{name}}"]}, "actions": [{"type": "do-nothing"}]}
            """)).Expect(HttpStatusCode.Created).Id;
        await Poll.UntilAsync(async () =>
        {
            if ((await api.GetAsync($"automations/{warmUp}/firings")).Expect(HttpStatusCode.OK).Array.Count > 0)
            {
                return true;
            }

            (await api.PostAsync("events", new[]
            {
                new { id = Guid.NewGuid(), occurred = DateTimeOffset.UtcNow, @event = name, resource = new Dictionary<string, string> { ["prefect.resource.id"] = "test.warm-up" } },
            })).Expect(HttpStatusCode.NoContent);
            return false;
        }, TimeSpan.FromSeconds(60), "the event dispatcher to deliver a warm-up event", TimeSpan.FromSeconds(1));
        (await api.DeleteAsync($"automations/{warmUp}")).Expect(HttpStatusCode.NoContent);
    }
}
