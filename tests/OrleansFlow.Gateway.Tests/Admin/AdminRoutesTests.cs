using System.Net;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Admin;

/// <summary>The routes a Prefect client calls before anything else: health and versions.</summary>
public sealed class AdminRoutesTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData("health", "true")]
    [InlineData("version", "\"2.10.11\"")]
    [InlineData("admin/version", "\"0.8.4\"")]
    public async Task Get_AdminRoute_AnswersAsPrefect21011(string path, string expected)
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);

        var response = (await api.GetAsync(path)).Expect(HttpStatusCode.OK);

        Assert.Equal(expected, response.Text);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownRoute_Answers404()
    {
        var api = await servers.ApiAsync(DatabaseKind.Sqlite);

        var response = await api.GetAsync("no_such_resource/");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }
}
