using System.Text.Json.Nodes;
using k8s;
using OrleansFlow.Client;
using OrleansFlow.Testing;
using OrleansFlow.Worker.Kubernetes;

namespace OrleansFlow.Worker.Tests.Kubernetes;

/// <summary>The Kubernetes worker against a real OrleansFlow server and a fake Kubernetes API server
/// (<see cref="FakeKubernetes"/>) that answers the official client's requests.</summary>
public sealed class KubernetesWorkerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // Prefect's Kubernetes-worker style: the manifest is in the template, with fields the worker itself never sets.
    private static readonly object ManifestTemplate = JsonNode.Parse("""
        {
          "job_configuration": {
            "namespace": "{{ namespace }}",
            "job_manifest": {
              "metadata": { "generateName": "etl-", "labels": { "team": "data" }, "annotations": { "owner": "ops@example.org" } },
              "spec": {
                "activeDeadlineSeconds": 3600,
                "template": {
                  "spec": {
                    "nodeSelector": { "pool": "batch" },
                    "containers": [ {
                      "name": "flow", "image": "{{ image }}", "args": ["dotnet", "Etl.dll"],
                      "resources": { "limits": { "cpu": "500m", "memory": "1Gi" } },
                      "volumeMounts": [ { "name": "scratch", "mountPath": "/scratch" } ],
                      "colour": "blue"
                    } ],
                    "volumes": [ { "name": "scratch", "emptyDir": {} } ]
                  }
                }
              }
            }
          },
          "variables": { "type": "object", "properties": {
            "namespace": { "type": "string", "default": "flows" },
            "image": { "type": "string", "default": "registry.local/etl:1" } } }
        }
        """)!;

    private const string FailedStatus = """
        { "conditions": [ { "type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit" } ],
          "failed": 1 }
        """;

    private static KubernetesApi Api(FakeKubernetes fake) => new(new KubernetesClientConfiguration { Host = fake.Url, Namespace = "orleansflow" });

    [Fact]
    public async Task Run_JobFromTheTemplate_IsCreatedWithEveryKnownFieldWatchedAcrossAnEndedStreamAndItsFailureCrashesTheRun()
    {
        await using var fixture = await Fixture.StartAsync();
        await using var fake = await FakeKubernetes.StartAsync();
        var deployment = await fixture.CreateDeploymentAsync("k8s", new { image = "registry.local/etl:2" }, ManifestTemplate);
        var run = await fixture.CreateRunAsync(deployment);
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var kubernetes = Api(fake);
        var log = new StringWriter();
        using var worker = new KubernetesWorker(fixture.Options("k8s"), api, kubernetes, TextWriter.Synchronized(log));

        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.Zero));

        // The create the client sent: the template's fields as written, plus the worker's.
        var create = Assert.Single(fake.Requests, r => r.Method == "POST");
        Assert.Equal("/apis/batch/v1/namespaces/flows/jobs", create.Path);
        Assert.StartsWith("application/json", create.ContentType, StringComparison.Ordinal);
        var body = create.Body!;
        Assert.Equal("batch/v1", body["apiVersion"]!.GetValue<string>());
        Assert.Equal("Job", body["kind"]!.GetValue<string>());
        Assert.Equal("etl-", body["metadata"]!["generateName"]!.GetValue<string>());
        Assert.Equal("ops@example.org", body["metadata"]!["annotations"]!["owner"]!.GetValue<string>());
        Assert.Equal("data", body["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal(run.ToString(), body["metadata"]!["labels"]![KubernetesJob.RunLabel]!.GetValue<string>());
        Assert.Equal(3600, body["spec"]!["activeDeadlineSeconds"]!.GetValue<long>());
        Assert.Equal(0, body["spec"]!["backoffLimit"]!.GetValue<int>());
        var pod = body["spec"]!["template"]!["spec"]!;
        Assert.Equal("Never", pod["restartPolicy"]!.GetValue<string>());
        Assert.Equal("batch", pod["nodeSelector"]!["pool"]!.GetValue<string>());
        Assert.NotNull(pod["volumes"]![0]!["emptyDir"]);
        var container = pod["containers"]![0]!;
        Assert.Equal("registry.local/etl:2", container["image"]!.GetValue<string>());
        Assert.Equal("500m", container["resources"]!["limits"]!["cpu"]!.GetValue<string>());
        Assert.Equal("1Gi", container["resources"]!["limits"]!["memory"]!.GetValue<string>());
        Assert.Equal("/scratch", container["volumeMounts"]![0]!["mountPath"]!.GetValue<string>());
        Assert.Contains(container["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "ORLEANSFLOW_FLOW_RUN_ID" && e["value"]!.GetValue<string>() == run.ToString());
        // A field no Job has is left out, and the log says so.
        Assert.Null(container["colour"]);
        Assert.Contains("spec.template.spec.containers[0].colour", log.ToString(), StringComparison.Ordinal);

        var job = Assert.Single(fake.Jobs());
        var name = job["metadata"]!["name"]!.GetValue<string>();
        Assert.StartsWith("etl-", name, StringComparison.Ordinal);
        Assert.Equal($"flows:{name}", (await fixture.RunAsync(run))["infrastructure_pid"]!.GetValue<string>());

        // Pending: nothing to do. The worker has opened its watch of the namespace's run Jobs.
        await worker.WatchOnceAsync();
        Assert.Equal([run], worker.RunningRuns);
        await Poll.UntilAsync(() => fake.Watches.Count == 1, Deadline, "the worker to watch the Jobs");
        var first = fake.Watches[0];
        Assert.Equal("/apis/batch/v1/namespaces/flows/jobs", first.Path);
        Assert.Equal(KubernetesJob.RunLabel, first.Query["labelSelector"]);

        // The server ends the stream (its timeout): the worker watches again from the last version it saw.
        var version = job["metadata"]!["resourceVersion"]!.GetValue<string>();
        fake.EndWatches();
        await Poll.UntilAsync(() => fake.Watches.Count == 2, Deadline, "the worker to watch again");
        Assert.Equal(version, fake.Watches[1].Query["resourceVersion"]);

        // The pod fails: the watch wakes the host at once, and the next watch tick crashes the run.
        var exited = worker.InfrastructureExited;
        fake.SetStatus("flows", name, FailedStatus);
        await exited.WaitAsync(Deadline);
        await worker.WatchOnceAsync();

        Assert.Empty(worker.RunningRuns);
        var state = (await fixture.RunAsync(run))["state"]!;
        Assert.Equal("CRASHED", state["type"]!.GetValue<string>());
        Assert.Contains("BackoffLimitExceeded: Job has reached the specified backoff limit", state["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AnswerLost_IsSentAgainAndTheAlreadyExistingJobOfTheRunCountsAsCreated()
    {
        await using var fixture = await Fixture.StartAsync();
        await using var fake = await FakeKubernetes.StartAsync();
        // No manifest in the template: the worker names the Job after the run, so a second create is answered 409.
        var deployment = await fixture.CreateDeploymentAsync("k8s-lost", new { image = "registry.local/flows:1" });
        var run = await fixture.CreateRunAsync(deployment);
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var kubernetes = Api(fake);
        using var worker = new KubernetesWorker(fixture.Options("k8s-lost"), api, kubernetes);
        fake.LoseCreateAnswers(1);

        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.Zero));

        Assert.Equal(2, fake.Requests.Count(r => r.Method == "POST"));
        var job = Assert.Single(fake.Jobs());
        Assert.Equal($"orleansflow-{run:N}", job["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal($"orleansflow:orleansflow-{run:N}", (await fixture.RunAsync(run))["infrastructure_pid"]!.GetValue<string>());
        Assert.Equal([run], worker.RunningRuns);
        Assert.Equal("PENDING", await fixture.StateAsync(run));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancel_RunsJob_IsDeletedInTheBackgroundAndTheRunEndsCancelled(bool alreadyGone)
    {
        await using var fixture = await Fixture.StartAsync();
        await using var fake = await FakeKubernetes.StartAsync();
        var deployment = await fixture.CreateDeploymentAsync("k8s-cancel", new { image = "registry.local/flows:1" });
        var run = await fixture.CreateRunAsync(deployment);
        using var api = OrleansFlowClient.Create(new Uri(fixture.Server.ApiUrl));
        using var kubernetes = Api(fake);
        using var worker = new KubernetesWorker(fixture.Options("k8s-cancel"), api, kubernetes);
        Assert.Equal(1, await worker.PollOnceAsync(TimeSpan.Zero));
        var name = $"orleansflow-{run:N}";
        fake.SetStatus("orleansflow", name, """{ "active": 1 }""");
        await worker.WatchOnceAsync();
        Assert.Equal([run], worker.RunningRuns);

        Assert.Equal("ACCEPT", (await fixture.PostOkAsync($"flow_runs/{run}/set_state", new { state = new { type = "CANCELLING" } }))["status"]!.GetValue<string>());
        if (alreadyGone)
        {
            // Gone before the worker deletes it (e.g. removed by hand): the delete's 404 is fine.
            var exited = worker.InfrastructureExited;
            fake.Remove("orleansflow", name);
            await exited.WaitAsync(Deadline);
        }

        await worker.WatchOnceAsync();

        Assert.Empty(worker.RunningRuns);
        Assert.Null(fake.Job("orleansflow", name));
        var delete = Assert.Single(fake.Requests, r => r.Method == "DELETE");
        Assert.Equal($"/apis/batch/v1/namespaces/orleansflow/jobs/{name}", delete.Path);
        Assert.Equal("Background", delete.Body!["propagationPolicy"]!.GetValue<string>());
        var state = (await fixture.RunAsync(run))["state"]!;
        Assert.Equal("CANCELLED", state["type"]!.GetValue<string>());
    }
}
