using System.Globalization;
using OrleansFlow.Testing;
using OrleansFlow.Worker.Tests.Kubernetes;

namespace OrleansFlow.Worker.Tests.Cluster;

/// <summary>Silo processes with <c>ORLEANSFLOW_SILO_KUBERNETES=true</c> (Orleans' Kubernetes hosting, as deploy/k8s/silo.yaml
/// runs them) against a Kubernetes API server in the test (<see cref="FakeKubernetes"/>, named by a <c>KUBECONFIG</c>
/// file): each silo takes its pod's name, labels its pod with the cluster's ids, and a silo whose pod is gone is declared
/// dead at once, though its process is healthy and answers every probe.</summary>
public sealed class KubernetesHostingTests
{
    private const string Namespace = "orleansflow";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SilosInPods_TakeThePodsNames_LabelThem_AndASiloWhosePodIsGoneIsDeclaredDead()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var kubernetes = await FakeKubernetes.StartAsync();
        var clusterId = "k8s-" + Guid.NewGuid().ToString("N")[..8];
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("kubeconfig-").FullName, "config");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {kubernetes.Url}
            users:
            - name: test
              user:
                token: test-token
            contexts:
            - name: test
              context:
                cluster: test
                user: test
                namespace: {Namespace}
            current-context: test
            """);
        foreach (var pod in new[] { "silo-a", "silo-b" })
        {
            kubernetes.AddPod(Namespace, pod, new Dictionary<string, string> { ["app"] = "orleansflow-silo" });
        }

        Task<ServerProcess> StartSilo(string pod) => ServerProcess.StartAsync(database.Url, new Dictionary<string, string?>
        {
            ["ORLEANSFLOW_CLUSTER_ID"] = clusterId,
            ["ORLEANSFLOW_SILO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["ORLEANSFLOW_SILO_KUBERNETES"] = "true",
            ["KUBECONFIG"] = kubeconfig,
            ["POD_NAME"] = pod,
            ["POD_NAMESPACE"] = Namespace,
            ["POD_IP"] = "127.0.0.1",
        });

        await using var siloB = await StartSilo("silo-b");
        await Poll.UntilAsync(async () => (await ClusterMembership.SilosByNameAsync(database, clusterId)).GetValueOrDefault("silo-b") == "Active",
            Deadline, $"silo-b to be active under its pod's name; its output:\n{siloB.Output}");
        await Poll.UntilAsync(() => Task.FromResult(kubernetes.Pod(Namespace, "silo-b")?["metadata"]?["labels"]?["orleans/clusterId"]?.GetValue<string>() == clusterId),
            Deadline, "silo-b to label its pod with the cluster id");
        Assert.Equal("orleansflow", kubernetes.Pod(Namespace, "silo-b")!["metadata"]!["labels"]!["orleans/serviceId"]!.GetValue<string>());

        // silo-b's pod goes (evicted, its node lost) while its process runs on, healthy: a silo that starts finds it has no
        // pod and declares it dead, instead of the cluster waiting for its probes to fail (they never would).
        kubernetes.DeletePod(Namespace, "silo-b");
        await using var siloA = await StartSilo("silo-a");
        await Poll.UntilAsync(async () => (await ClusterMembership.SilosByNameAsync(database, clusterId)).GetValueOrDefault("silo-b") == "Dead",
            Deadline, $"silo-b to be declared dead; silo-a's output:\n{siloA.Output}");
        Assert.Equal("Active", (await ClusterMembership.SilosByNameAsync(database, clusterId))["silo-a"]);
        Assert.Contains(kubernetes.Requests, r => r.Method == "GET" && r.Path == $"/api/v1/namespaces/{Namespace}/pods"
            && r.Query["labelSelector"] == $"orleans/serviceId=orleansflow,orleans/clusterId={clusterId}");
    }
}
