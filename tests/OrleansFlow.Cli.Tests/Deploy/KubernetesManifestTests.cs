using System.CommandLine;
using System.Reflection;
using k8s.Models;
using OrleansFlow.Cli.Commands;
using Xunit.Abstractions;

namespace OrleansFlow.Cli.Tests.Deploy;

/// <summary>No Kubernetes cluster runs here, so every manifest of <c>deploy/k8s</c> is loaded into the official client
/// library's models (strict: an unknown field fails) and its references are checked the way a cluster would find them
/// wrong only after <c>kubectl apply</c>: Services and PodDisruptionBudgets that select no pods, ports, Secrets and keys
/// nobody defines, service accounts without a binding, namespaces nobody creates, and args the <c>orleansflow</c>
/// CLI does not know. The last tests feed the same checks broken manifests, to show that each one can fail.</summary>
public sealed class KubernetesManifestTests(ITestOutputHelper output)
{
    /// <summary>deploy/k8s/*.yaml of this repository, by file name.</summary>
    private static readonly Lazy<IReadOnlyList<(string File, string Yaml)>> Files = new(() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot(), "deploy", "k8s"), "*.yaml")
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path)))]);

    private static KubernetesManifests Manifests => KubernetesManifests.Load(Files.Value);

    [Fact]
    public void KubernetesManifest_EveryFile_LoadsStrictlyIntoTheClientModels()
    {
        var files = Files.Value;
        Assert.Contains(files, f => f.File == "namespace.yaml");
        var manifests = Manifests;
        AssertNone(manifests.LoadProblems, "loading deploy/k8s/*.yaml");
        foreach (var (file, _) in files)
        {
            Assert.True(manifests.Objects.Any(o => o.File == file), $"{file}: holds no Kubernetes object.");
        }

        foreach (var item in manifests.Objects)
        {
            output.WriteLine($"{item} ({item.Object.GetType().Name})");
        }
    }

    [Fact]
    public void KubernetesManifest_Workloads_SelectTheirOwnPodTemplates() =>
        AssertNone(Manifests.WorkloadSelectorProblems(), "workload selectors");

    [Fact]
    public void KubernetesManifest_Services_SelectPodsThatDeclareTheirTargetPorts() =>
        AssertNone(Manifests.ServiceProblems(), "Service selectors and target ports");

    [Fact]
    public void KubernetesManifest_DisruptionBudgets_SelectPods() =>
        AssertNone(Manifests.DisruptionBudgetProblems(), "PodDisruptionBudgets");

    [Fact]
    public void KubernetesManifest_SecretAndConfigMapReferences_NameDefinedObjectsAndKeys() =>
        AssertNone(Manifests.SecretAndConfigMapProblems(), "Secret and ConfigMap references");

    [Fact]
    public void KubernetesManifest_ServiceAccounts_ExistAndAreBoundToExistingRoles() =>
        AssertNone(Manifests.ServiceAccountProblems(), "service accounts and role bindings");

    [Fact]
    public void KubernetesManifest_ProbesAndHandlers_UsePortsTheirContainerDeclares() =>
        AssertNone(Manifests.PortProblems(), "container ports and probes");

    [Fact]
    public void KubernetesManifest_Namespaces_AreCreatedByNamespaceYaml()
    {
        var manifests = Manifests;
        AssertNone(manifests.NamespaceProblems(), "namespaces");
        foreach (var ns in manifests.Objects.Where(o => o.Object is V1Namespace))
        {
            Assert.True(ns.File == "namespace.yaml", $"{ns}: namespaces are created by namespace.yaml only.");
        }
    }

    [Fact]
    public void KubernetesManifest_InClusterUrls_NameAServiceAndItsPort() =>
        AssertNone(Manifests.ServiceUrlProblems(), "in-cluster URLs");

    [Fact]
    public void KubernetesManifest_OrleansflowContainers_RunCommandsTheCliKnows()
    {
        var commands = new List<string>();
        var problems = Manifests.CommandProblems(IsOrleansflowImage, args =>
        {
            commands.Add(string.Join(' ', args.TakeWhile(a => !a.StartsWith('-'))));
            return ParseWithCli(args);
        });
        AssertNone(problems, "container commands");
        Assert.Equal(new[] { "gateway start", "server start", "worker start" }, commands.Order(StringComparer.Ordinal));
    }

    /// <summary>The topology the manifests are for: silos (<c>server start</c>) and a gateway tier (<c>gateway
    /// start</c>) behind the Service <c>orleansflow</c>, which workers use; ports and probes as the processes expect.</summary>
    [Fact]
    public void KubernetesManifest_Topology_GatewaysBehindTheOrleansflowServiceSilosWithTheirPorts()
    {
        var manifests = Manifests;
        var templates = manifests.PodTemplates.ToDictionary(t => t.Owner.Name);
        foreach (var template in manifests.PodTemplates)
        {
            var labels = template.Labels;
            Assert.True(labels.TryGetValue("app.kubernetes.io/part-of", out var partOf) && partOf == "orleansflow", $"{template.Owner}: no app.kubernetes.io/part-of=orleansflow label.");
            Assert.True(labels.ContainsKey("app.kubernetes.io/name"), $"{template.Owner}: no app.kubernetes.io/name label.");
            Assert.True(labels.TryGetValue("app.kubernetes.io/component", out var component) && component is "silo" or "gateway" or "worker",
                $"{template.Owner}: app.kubernetes.io/component is not silo, gateway or worker.");
        }

        var silo = templates["orleansflow-silo"];
        var gateway = templates["orleansflow-gateway"];
        var worker = templates["orleansflow-worker"];
        Assert.Equal("silo", silo.Labels["app.kubernetes.io/component"]);
        Assert.Equal("gateway", gateway.Labels["app.kubernetes.io/component"]);
        Assert.Equal("worker", worker.Labels["app.kubernetes.io/component"]);

        // The one public Service selects the gateways, not the silos.
        var service = (V1Service)Assert.Single(manifests.Objects, o => o.Object is V1Service && o.Name == "orleansflow").Object;
        Assert.True(service.Spec.Selector.All(s => gateway.Labels.TryGetValue(s.Key, out var v) && v == s.Value), "Service orleansflow does not select the gateway pods.");
        Assert.False(service.Spec.Selector.All(s => silo.Labels.TryGetValue(s.Key, out var v) && v == s.Value), "Service orleansflow selects the silo pods.");
        Assert.Contains(service.Spec.Ports, p => p.Port == 4200 && p.TargetPort.Value == "http");

        var siloContainer = Assert.Single(silo.Template.Spec.Containers);
        Assert.Equal(new[] { "server", "start" }, siloContainer.Args);
        AssertPortFromEnv(silo, siloContainer, "ORLEANSFLOW_SERVER_PORT", "http", 4200);
        AssertPortFromEnv(silo, siloContainer, "ORLEANSFLOW_SILO_PORT", "silo", 11111);
        AssertPortFromEnv(silo, siloContainer, "ORLEANSFLOW_SILO_GATEWAY_PORT", "gateway", 30000);
        Assert.Equal("status.podIP", Env(siloContainer, "ORLEANSFLOW_SILO_ADDRESS").ValueFrom?.FieldRef?.FieldPath);
        // Every silo seals secrets with the same key, from a Secret (not a key file of its own in the pod).
        Assert.Equal("key", Env(siloContainer, "ORLEANSFLOW_SECRETS_KEY").ValueFrom?.SecretKeyRef?.Key);

        var gatewayContainer = Assert.Single(gateway.Template.Spec.Containers);
        Assert.Equal(new[] { "gateway", "start" }, gatewayContainer.Args);
        AssertPortFromEnv(gateway, gatewayContainer, "ORLEANSFLOW_SERVER_PORT", "http", 4200);
        foreach (var (template, container) in new[] { (silo, siloContainer), (gateway, gatewayContainer) })
        {
            Assert.Equal("0.0.0.0", Env(container, "ORLEANSFLOW_SERVER_HOST").Value);
            Assert.Equal("url", Env(container, "ORLEANSFLOW_DATABASE_URL").ValueFrom?.SecretKeyRef?.Key);
            Assert.Equal("key", Env(container, "ORLEANSFLOW_SERVER_API_KEY").ValueFrom?.SecretKeyRef?.Key);
            Assert.True(container.ReadinessProbe?.HttpGet is { Path: "/api/ready" }, $"{template.Owner}: readiness is not GET /api/ready.");
            Assert.True(container.LivenessProbe?.HttpGet is { Path: "/api/health" }, $"{template.Owner}: liveness is not GET /api/health.");
            Assert.True(manifests.Objects.Any(o => o.Object is V1PodDisruptionBudget pdb && o.Namespace == template.Owner.Namespace
                && KubernetesManifests.Matches(pdb.Spec.Selector, template.Labels)), $"{template.Owner}: no PodDisruptionBudget covers its pods.");
        }

        // The silos leave the cluster on SIGTERM: give them longer than the host's default 30 s shutdown.
        Assert.True(silo.Template.Spec.TerminationGracePeriodSeconds > 30, "The silos' terminationGracePeriodSeconds is not above 30 s.");

        // Workers (and their init container) talk to the gateway Service.
        foreach (var container in worker.Containers)
        {
            Assert.Equal("http://orleansflow.orleansflow.svc:4200/api", Env(container, "ORLEANSFLOW_API_URL").Value);
        }
    }

    [Fact]
    public void ChecksOnASmallValidSet_FindNothing() =>
        AssertNone(KubernetesManifests.Load([("valid.yaml", ValidSet)]).AllProblems(IsOrleansflowImage, args => ParseWithCli(args)), "the valid set");

    /// <summary>Each broken copy of <see cref="ValidSet"/> is reported by the checks, with the expected text.</summary>
    [Theory]
    [InlineData("  replicas: 2", "  replicass: 2", "replicass")]
    [InlineData("          readinessProbe:", "          readinesProbe:", "readinesProbe")]
    [InlineData("kind: Deployment", "kind: Deploymnet", "not a Kubernetes model type")]
    [InlineData("apiVersion: policy/v1", "apiVersion: policy/v2", "not a Kubernetes model type")]
    [InlineData("  selector:\n    app: demo-app", "  selector:\n    app: demo-ap", "Service demo/demo-app: its selector (app=demo-ap) matches no pod template")]
    [InlineData("      targetPort: web", "      targetPort: http", "targets the port named 'http', which no container of Deployment demo-app declares")]
    [InlineData("                  key: password", "                  key: pasword", "key 'pasword' of Secret demo-secret")]
    [InlineData("                  name: demo-secret", "                  name: demo-secrets", "Secret demo-secrets is not defined in namespace demo")]
    [InlineData("      serviceAccountName: demo-account", "      serviceAccountName: demo-acount", "runs as service account demo-acount, which is no ServiceAccount")]
    [InlineData("  - kind: ServiceAccount\n    name: demo-account", "  - kind: ServiceAccount\n    name: someone", "its service account demo-account is bound by no RoleBinding")]
    [InlineData("  kind: Role\n  name: demo-role", "  kind: Role\n  name: demo-rol", "its roleRef (Role demo-rol) names no Role")]
    [InlineData("              port: web", "              port: health", "readinessProbe uses the port named 'health', which the container does not declare")]
    [InlineData("kind: Namespace\nmetadata:\n  name: demo", "kind: Namespace\nmetadata:\n  name: demo-ns", "namespace demo is not created by the manifests")]
    [InlineData("      labels:\n        app: demo-app", "      labels:\n        app: demo-web", "does not match its own pod template's labels (app=demo-web)")]
    [InlineData("  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: demo-app", "  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: other", "PodDisruptionBudget demo/demo-app: its selector (app=other) matches no pod template")]
    [InlineData("args: [\"server\", \"start\"]", "args: [\"sever\", \"start\"]", "are not a command the CLI knows")]
    [InlineData("args: [\"server\", \"start\"]", "args: [\"server\"]", "are not a command the CLI knows")]
    [InlineData("args: [\"server\", \"start\"]", "args: [\"server\", \"start\", \"--prot\", \"1\"]", "are not a command the CLI knows")]
    [InlineData("args: [\"server\", \"start\"]", "command: [\"dotnet\", \"x.dll\"]", "replaces the image's entry point")]
    [InlineData("args: [\"server\", \"start\"]", "args: [\"worker\", \"start\", \"--pool\", \"p\", \"--name\", \"$(POD_NAME)\"]", "$(POD_NAME) in its command line names no env variable")]
    [InlineData("http://demo-app.demo.svc:80/api", "http://demo-app.demo.svc:8080/api", "Service demo/demo-app (broken.yaml) has no port 8080")]
    [InlineData("http://demo-app.demo.svc:80/api", "http://demo.demo.svc:80/api", "names Service demo/demo, which the manifests do not define")]
    public void ChecksOnABrokenCopy_ReportTheFault(string valid, string broken, string expected)
    {
        Assert.True(ValidSet.Split(valid).Length == 2, $"'{valid}' is not in the valid set exactly once.");
        var manifests = KubernetesManifests.Load([("broken.yaml", ValidSet.Replace(valid, broken, StringComparison.Ordinal))]);
        var problems = manifests.AllProblems(IsOrleansflowImage, args => ParseWithCli(args));
        output.WriteLine(string.Join('\n', problems));
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)),
            $"No problem says '{expected}'; the problems: {(problems.Count == 0 ? "none" : string.Join("\n", problems))}");
        Assert.All(problems, p => Assert.StartsWith("broken.yaml", p, StringComparison.Ordinal));
    }

    /// <summary>A namespace, a Secret, a service account bound to a role, a Deployment of the orleansflow image with a
    /// probe, a Secret reference and an in-cluster URL, its Service and its PodDisruptionBudget: every check passes.</summary>
    private const string ValidSet = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: demo
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: demo-secret
          namespace: demo
        stringData:
          password: not-a-real-one
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: demo-account
          namespace: demo
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: demo-role
          namespace: demo
        rules:
          - apiGroups: [""]
            resources: ["configmaps"]
            verbs: ["get"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: demo-binding
          namespace: demo
        subjects:
          - kind: ServiceAccount
            name: demo-account
            namespace: demo
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: Role
          name: demo-role
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: demo-app
          namespace: demo
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: demo-app
          template:
            metadata:
              labels:
                app: demo-app
            spec:
              serviceAccountName: demo-account
              containers:
                - name: app
                  image: registry.example/orleansflow:1.0
                  args: ["server", "start"]
                  env:
                    - name: PASSWORD
                      valueFrom:
                        secretKeyRef:
                          name: demo-secret
                          key: password
                    - name: SELF
                      value: http://demo-app.demo.svc:80/api
                  ports:
                    - name: web
                      containerPort: 8080
                  readinessProbe:
                    httpGet:
                      path: /api/ready
                      port: web
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: demo-app
          namespace: demo
        spec:
          selector:
            app: demo-app
          ports:
            - name: web
              port: 80
              targetPort: web
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: demo-app
          namespace: demo
        spec:
          maxUnavailable: 1
          selector:
            matchLabels:
              app: demo-app
        """;

    /// <summary>The <c>orleansflow</c> CLI image, whatever its registry and tag (deploy/k8s/Dockerfile builds it).</summary>
    private static bool IsOrleansflowImage(string image)
    {
        var name = image.Split('@')[0];
        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > lastSlash)
        {
            name = name[..colon];
        }

        return name[(lastSlash + 1)..] == "orleansflow";
    }

    /// <summary>Parses <paramref name="args"/> with the CLI's own command tree (as src/Cli/Program.cs builds it): null
    /// when they name a command the CLI runs, else the parser's errors.</summary>
    private static string? ParseWithCli(IReadOnlyList<string> args)
    {
        var root = CliRoot();
        var result = root.Parse([.. args]);
        if (result.Errors.Count == 0)
        {
            return result.CommandResult.Command.Action is null ? $"'{result.CommandResult.Command.Name}' is a group of commands, not a command." : null;
        }

        return string.Join(" ", result.Errors.Select(e => e.Message));
    }

    /// <summary>The CLI's root command: every top-level <c>static Command Create()</c> of the CLI assembly (server,
    /// gateway, worker, secrets, and whatever is added the same way) and the client commands. Program.cs is top-level code, so
    /// the tree is built from the same factories it calls.</summary>
    private static RootCommand CliRoot()
    {
        var root = new RootCommand("orleansflow");
        var factories = typeof(ClientCommands).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: true, IsSealed: true })
            .Select(t => t.GetMethod("Create", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, Type.EmptyTypes))
            .Where(m => m is not null && m.ReturnType == typeof(Command))
            .OrderBy(m => m!.DeclaringType!.FullName, StringComparer.Ordinal);
        foreach (var factory in factories)
        {
            root.Subcommands.Add((Command)factory!.Invoke(null, null)!);
        }

        ClientCommands.AddTo(root, new CliConsole(TextWriter.Null, TextWriter.Null, 80));
        var names = root.Subcommands.Select(c => c.Name).ToHashSet();
        Assert.True(names.IsSupersetOf(["server", "gateway", "worker", "deployment"]), $"The CLI's command tree lacks the commands it is known to have: {string.Join(", ", names)}");
        return root;
    }

    private static V1EnvVar Env(V1Container container, string name) =>
        container.Env?.SingleOrDefault(e => e.Name == name) ?? throw new Xunit.Sdk.XunitException($"Container {container.Name} sets no {name}.");

    private static void AssertPortFromEnv(PodTemplate template, V1Container container, string variable, string portName, int expected)
    {
        var port = container.Ports?.SingleOrDefault(p => p.Name == portName);
        Assert.True(port is not null, $"{template.Owner}: container {container.Name} declares no port named {portName}.");
        Assert.Equal(expected, port.ContainerPort);
        Assert.True(Env(container, variable).Value == port.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{template.Owner}: {variable} is not the port named {portName} ({port.ContainerPort}).");
    }

    private static void AssertNone(IReadOnlyList<string> problems, string what) =>
        Assert.True(problems.Count == 0, $"{what}: {problems.Count} problem(s):\n{string.Join("\n", problems)}");

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "OrleansFlow.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No OrleansFlow.sln above {AppContext.BaseDirectory}.");
    }
}
