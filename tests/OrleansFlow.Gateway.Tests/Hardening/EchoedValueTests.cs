using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Hardening;

/// <summary>A 422 quotes the offending value and names the offending key, which can be megabytes long: the answer
/// repeats at most 200 characters of either, and says it cut them.</summary>
public sealed class EchoedValueTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Fact]
    public async Task LongBadValue_IsEchoedCutTo200Characters_AndTheAnswerStaysSmall()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        // Names may have 1,024 characters: a longer one is refused for its length, without an echo.
        var huge = new string('x', 1_000) + "/";

        var response = (await api.PostAsync("flows/", new { name = huge })).Expect(HttpStatusCode.UnprocessableEntity);

        var message = response.Object["exception_detail"]![0]!["msg"]!.GetValue<string>();
        Assert.Equal(["body.name"], response.ErrorLocations);
        Assert.StartsWith("Name '" + new string('x', 200) + "…' (shown cut to 200 of 1001 characters) contains an invalid character", message, StringComparison.Ordinal);
        Assert.True(response.Text.Length < 1_000, $"the answer has {response.Text.Length} characters");
    }

    [Fact]
    public async Task HugeUnknownKey_IsCutInTheLocationAndTheMessage()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);
        var key = new string('k', 500_000);

        var response = (await api.PostAsync("flow_runs/filter", "{\"flow_runs\": {\"name\": {\"" + key + "\": 1}}}")).Expect(HttpStatusCode.UnprocessableEntity);

        var detail = response.Object["exception_detail"]![0]!;
        var location = detail["loc"]!.AsArray().Select(l => l!.ToString()).ToList();
        Assert.Equal(["body", "flow_runs", "name"], location[..3]);
        Assert.Equal(new string('k', 200) + "… (shown cut to 200 of 500000 characters)", location[3]);
        Assert.Contains("(shown cut to 200 of 500000 characters)", detail["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(response.Text.Length < 3_000, $"the answer has {response.Text.Length} characters");
    }

    [Fact]
    public async Task ShortBadValue_IsEchoedInFull()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);

        var response = (await api.PostAsync("flows/", new { name = "a/b" })).Expect(HttpStatusCode.UnprocessableEntity);

        Assert.StartsWith("Name 'a/b' contains an invalid character", response.Object["exception_detail"]![0]!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
