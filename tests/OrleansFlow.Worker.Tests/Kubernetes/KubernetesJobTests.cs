using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFlow.Worker.Kubernetes;

namespace OrleansFlow.Worker.Tests.Kubernetes;

/// <summary>The Job manifest a Kubernetes worker creates, rendered from real base job templates and job variables, and
/// read into the client's model. (No cluster here: <see cref="KubernetesWorkerTests"/> runs the worker against a fake API
/// server.)</summary>
public sealed class KubernetesJobTests
{
    private static readonly Guid Run = Guid.Parse("01a20185-2208-723e-a5e7-dfdde91363f9");
    private static readonly Uri Api = new("http://orleansflow-server.flows.svc:4200/api/");

    // A pool template in Prefect's Kubernetes-worker style: the manifest is in the configuration, variables fill it.
    private const string PrefectStyleTemplate = """
        {
          "job_configuration": {
            "namespace": "{{ namespace }}",
            "job_manifest": {
              "apiVersion": "batch/v1",
              "kind": "Job",
              "metadata": { "generateName": "{{ name }}-", "labels": { "team": "data" } },
              "spec": {
                "ttlSecondsAfterFinished": "{{ finished_job_ttl }}",
                "template": {
                  "spec": {
                    "serviceAccountName": "flows",
                    "containers": [
                      { "name": "flow", "image": "{{ image }}", "args": "{{ args }}", "env": "{{ env }}",
                        "imagePullPolicy": "{{ image_pull_policy }}" }
                    ]
                  }
                }
              }
            }
          },
          "variables": {
            "type": "object",
            "properties": {
              "namespace": { "type": "string", "default": "flows" },
              "name": { "type": "string", "default": "etl" },
              "image": { "type": "string", "default": "registry.local/etl:1" },
              "args": { "type": "array", "default": ["dotnet", "Etl.dll"] },
              "env": { "type": "object", "default": {} },
              "image_pull_policy": { "type": "string", "default": "IfNotPresent" },
              "finished_job_ttl": { "type": "integer", "default": 600 }
            }
          }
        }
        """;

    private static JsonObject Configuration(string template, string? overrides) =>
        JobTemplate.Render(JsonDocument.Parse(template).RootElement, overrides is null ? null : JsonDocument.Parse(overrides).RootElement);

    private static Dictionary<string, string> Env(JsonObject job) =>
        job["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
            .ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());

    [Fact]
    public void Render_PrefectStyleTemplateWithJobVariables_FillsTheManifestAndAddsTheRunsEnvironment()
    {
        var configuration = Configuration(PrefectStyleTemplate, """
            { "image": "registry.local/etl:2", "env": { "LEVEL": "debug", "ORLEANSFLOW_API_URL": "http://wrong" }, "namespace": "prod" }
            """);

        var job = KubernetesJob.Render(configuration, Run, Api);

        Assert.Equal("batch/v1", job["apiVersion"]!.GetValue<string>());
        Assert.Equal("Job", job["kind"]!.GetValue<string>());
        var metadata = job["metadata"]!;
        Assert.Equal("prod", metadata["namespace"]!.GetValue<string>());
        Assert.Equal("etl-", metadata["generateName"]!.GetValue<string>());
        Assert.Null(metadata["name"]);
        Assert.Equal("data", metadata["labels"]!["team"]!.GetValue<string>());
        Assert.Equal(Run.ToString(), metadata["labels"]![KubernetesJob.RunLabel]!.GetValue<string>());
        var spec = job["spec"]!;
        Assert.Equal(0, spec["backoffLimit"]!.GetValue<int>());
        Assert.Equal(600, spec["ttlSecondsAfterFinished"]!.GetValue<int>());
        Assert.Equal(Run.ToString(), spec["template"]!["metadata"]!["labels"]![KubernetesJob.RunLabel]!.GetValue<string>());
        var pod = spec["template"]!["spec"]!;
        Assert.Equal("Never", pod["restartPolicy"]!.GetValue<string>());
        Assert.Equal("flows", pod["serviceAccountName"]!.GetValue<string>());
        var container = pod["containers"]![0]!;
        Assert.Equal("registry.local/etl:2", container["image"]!.GetValue<string>());
        Assert.Equal("IfNotPresent", container["imagePullPolicy"]!.GetValue<string>());
        Assert.Equal(["dotnet", "Etl.dll"], container["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        var env = Env(job);
        Assert.Equal("debug", env["LEVEL"]);
        Assert.Equal("http://orleansflow-server.flows.svc:4200/api", env["ORLEANSFLOW_API_URL"]);
        Assert.Equal(Run.ToString(), env["ORLEANSFLOW_FLOW_RUN_ID"]);
        Assert.Equal(Run.ToString(), env["PREFECT__FLOW_RUN_ID"]);
        Assert.Single(container["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "ORLEANSFLOW_API_URL");
    }

    [Fact]
    public void Render_NoManifestInTheTemplate_BuildsTheJobFromTheVariables()
    {
        // A pool whose template only declares variables (the worker fills image, namespace, command, env itself).
        const string template = """
            {
              "job_configuration": {},
              "variables": { "type": "object", "properties": {
                "image": { "type": "string", "default": "registry.local/flows:1" },
                "command": { "type": "string" },
                "env": { "type": "object", "default": { "A": "1" } },
                "finished_job_ttl": { "type": "integer", "default": 300 } } }
            }
            """;
        var variables = JobTemplate.Variables(JsonDocument.Parse(template).RootElement,
            JsonDocument.Parse("""{ "command": "dotnet Flows.dll --verbose 'two words'", "service_account_name": "runner", "labels": { "app": "etl" } }""").RootElement);
        var configuration = new JsonObject();
        foreach (var (name, value) in variables)
        {
            configuration[name] = value?.DeepClone();
        }

        var job = KubernetesJob.Render(configuration, Run, Api, defaultNamespace: "orleansflow");

        Assert.Equal("orleansflow", job["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal($"orleansflow-{Run:N}", job["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("orleansflow:" + $"orleansflow-{Run:N}", KubernetesJob.Pid(job));
        Assert.Equal("etl", job["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.Equal(300, job["spec"]!["ttlSecondsAfterFinished"]!.GetValue<int>());
        var pod = job["spec"]!["template"]!["spec"]!;
        Assert.Equal("runner", pod["serviceAccountName"]!.GetValue<string>());
        var container = pod["containers"]![0]!;
        Assert.Equal("registry.local/flows:1", container["image"]!.GetValue<string>());
        Assert.Equal(["dotnet", "Flows.dll", "--verbose", "two words"], container["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        var env = Env(job);
        Assert.Equal("1", env["A"]);
        Assert.Equal(Run.ToString(), env["ORLEANSFLOW_FLOW_RUN_ID"]);
        // The manifest is valid JSON for the API server as a whole.
        Assert.Equal(job.ToJsonString(), JsonNode.Parse(job.ToJsonString())!.ToJsonString());
    }

    [Fact]
    public void Render_ManifestWithoutContainers_IsAClearError()
    {
        var configuration = JsonNode.Parse("""{ "job_manifest": { "spec": { "template": { "spec": { "containers": [] } } } } }""")!.AsObject();

        var error = Assert.Throws<FormatException>(() => KubernetesJob.Render(configuration, Run, Api));
        Assert.Contains("containers[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToModel_RenderedManifest_KeepsEveryJobFieldAndNamesTheUnknownOnes()
    {
        var configuration = Configuration(PrefectStyleTemplate, """{ "env": { "LEVEL": "debug" } }""");
        var manifest = KubernetesJob.Render(configuration, Run, Api);
        var pod = manifest["spec"]!["template"]!["spec"]!.AsObject();
        pod["tolerations"] = JsonNode.Parse("""[ { "key": "batch", "operator": "Exists", "effect": "NoSchedule" } ]""");
        pod["containers"]![0]!["resources"] = JsonNode.Parse("""{ "requests": { "cpu": "250m", "memory": "512Mi" } }""");
        pod["containers"]![0]!["imagePullPolicyy"] = "Always";
        manifest["spec"]!["podFailurePolicy"] = JsonNode.Parse("""{ "rules": [ { "action": "FailJob", "onExitCodes": { "operator": "In", "values": [42] } } ] }""");

        var (job, dropped) = KubernetesJob.ToModel(manifest);

        Assert.Equal(["spec.template.spec.containers[0].imagePullPolicyy"], dropped);
        Assert.Equal("etl-", job.Metadata.GenerateName);
        Assert.Equal("flows", job.Metadata.NamespaceProperty);
        Assert.Equal(600, job.Spec.TtlSecondsAfterFinished);
        Assert.Equal("Exists", job.Spec.Template.Spec.Tolerations[0].OperatorProperty);
        Assert.Equal("250m", job.Spec.Template.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        Assert.Equal(42, job.Spec.PodFailurePolicy.Rules[0].OnExitCodes.Values[0]);
        Assert.Equal("debug", job.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "LEVEL").Value);
        Assert.Equal(KubernetesJob.Pid(manifest), KubernetesJob.Pid(job));
    }

    [Fact]
    public void ToModel_FieldOfTheWrongType_IsAJsonError()
    {
        var manifest = KubernetesJob.Render(Configuration(PrefectStyleTemplate, null), Run, Api);
        manifest["spec"]!["backoffLimit"] = "none";

        Assert.ThrowsAny<JsonException>(() => KubernetesJob.ToModel(manifest));
    }
}
