using System.Net;
using System.Net.Http.Json;

namespace OrleansFlow.Worker.Tests.Kubernetes;

/// <summary><c>orleansflow worker start</c> on a <c>kubernetes</c> pool picks the Kubernetes worker, which needs a pod.</summary>
public sealed class KubernetesWorkerCommandTests
{
    [Fact]
    public async Task WorkerStart_KubernetesPoolOutsideACluster_ExitsWithAClearMessage()
    {
        if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 })
        {
            return; // inside a cluster the worker would start
        }

        await using var fixture = await Fixture.StartAsync();
        using (var created = await fixture.Client.PostAsJsonAsync("work_pools/", new { name = "k8s", type = "kubernetes" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await using var worker = WorkerProcess.Start(fixture.Server.ApiUrl, "k8s");
        var code = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        Assert.Contains("Not in a Kubernetes pod", worker.Output, StringComparison.Ordinal);
    }
}
