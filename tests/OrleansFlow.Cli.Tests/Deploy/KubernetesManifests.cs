using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace OrleansFlow.Cli.Tests.Deploy;

/// <summary>Kubernetes manifests loaded into the official client library's models (<c>KubernetesClient</c>) with its
/// strict YAML reader, and the cross-references a cluster would only find wrong at apply or run time: what a Service or
/// a PodDisruptionBudget selects, Secrets and ConfigMaps and their keys, service accounts and their bindings, probe
/// ports, namespaces, the commands the <c>orleansflow</c> image is started with. Each check answers its problems, one
/// line each, naming the file and the object.</summary>
internal sealed partial class KubernetesManifests
{
    /// <summary>Kinds that live outside any namespace.</summary>
    private static readonly HashSet<string> ClusterScopedKinds =
        ["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "CustomResourceDefinition", "PriorityClass", "IngressClass"];

    private KubernetesManifests(IReadOnlyList<ManifestObject> objects, IReadOnlyList<string> loadProblems)
    {
        Objects = objects;
        LoadProblems = loadProblems;
        PodTemplates = [.. objects.SelectMany(TemplatesOf)];
    }

    public IReadOnlyList<ManifestObject> Objects { get; }

    /// <summary>Files that do not load: YAML errors, unknown fields (strict reading), unknown apiVersion/kind.</summary>
    public IReadOnlyList<string> LoadProblems { get; }

    public IReadOnlyList<PodTemplate> PodTemplates { get; }

    /// <summary>Loads each file with <see cref="KubernetesYaml.LoadAllFromString"/> in strict mode: a field the model
    /// does not have fails the file, and so does an apiVersion/kind with no model type.</summary>
    public static KubernetesManifests Load(IEnumerable<(string File, string Yaml)> files)
    {
        var objects = new List<ManifestObject>();
        var problems = new List<string>();
        foreach (var (file, yaml) in files)
        {
            List<object> loaded;
            try
            {
                loaded = KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
            }
            catch (KeyNotFoundException ex)
            {
                // The library looks each document's "apiVersion/kind" up in its map of model types.
                problems.Add($"{file}: a document's apiVersion/kind (or either field) is not a Kubernetes model type: {ex.Message}");
                continue;
            }
            catch (Exception ex)
            {
                // YamlDotNet's YamlException names the line and column, and the field the model does not have.
                problems.Add($"{file}: does not load strictly into the Kubernetes models: {Describe(ex)}");
                continue;
            }

            for (var i = 0; i < loaded.Count; i++)
            {
                if (loaded[i] is not IKubernetesObject<V1ObjectMeta> item)
                {
                    problems.Add($"{file}: document {i + 1} is a {loaded[i]?.GetType().Name ?? "null"}, not a Kubernetes object with metadata.");
                    continue;
                }

                var entity = item.GetType().GetCustomAttribute<KubernetesEntityAttribute>();
                var apiVersion = entity is null ? null : string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
                if (entity is null || entity.Kind != item.Kind || apiVersion != item.ApiVersion)
                {
                    problems.Add($"{file}: document {i + 1} ({item.ApiVersion} {item.Kind}) loaded as {item.GetType().Name}, which is not that model type.");
                    continue;
                }

                if (item.Metadata?.Name is not { Length: > 0 })
                {
                    problems.Add($"{file}: document {i + 1} ({item.Kind}) has no metadata.name.");
                }

                objects.Add(new ManifestObject(file, item));
            }
        }

        return new KubernetesManifests(objects, problems);
    }

    /// <summary>Deployments, StatefulSets, DaemonSets (and Jobs that set one) select the labels of their own template.</summary>
    public IReadOnlyList<string> WorkloadSelectorProblems()
    {
        var problems = new List<string>();
        foreach (var workload in PodTemplates)
        {
            if (workload.Selector is null)
            {
                if (workload.Owner.Object is not (V1Job or V1CronJob))
                {
                    problems.Add($"{workload.Owner}: has no spec.selector.");
                }

                continue;
            }

            if (IsEmpty(workload.Selector))
            {
                problems.Add($"{workload.Owner}: its spec.selector is empty.");
            }
            else if (!Matches(workload.Selector, workload.Labels))
            {
                problems.Add($"{workload.Owner}: its spec.selector ({Show(workload.Selector)}) does not match its own pod template's labels ({Show(workload.Labels)}).");
            }
        }

        return problems;
    }

    /// <summary>Every Service selects the pods of some workload in its namespace, and each of its ports' targets
    /// (a name or a number; the port itself when no target is given) is a container port of every pod it selects.</summary>
    public IReadOnlyList<string> ServiceProblems()
    {
        var problems = new List<string>();
        foreach (var item in Objects.Where(o => o.Object is V1Service))
        {
            var service = (V1Service)item.Object;
            var selector = service.Spec?.Selector;
            if (selector is not { Count: > 0 })
            {
                problems.Add($"{item}: has no selector (a Service with hand-made endpoints is not expected in these manifests).");
                continue;
            }

            var selected = PodTemplates.Where(t => t.Owner.Namespace == item.Namespace && MatchesLabels(selector, t.Labels)).ToList();
            if (selected.Count == 0)
            {
                problems.Add($"{item}: its selector ({Show(selector)}) matches no pod template in namespace {item.Namespace}.");
                continue;
            }

            foreach (var port in service.Spec!.Ports ?? [])
            {
                var target = port.TargetPort ?? (IntOrString)port.Port;
                foreach (var template in selected.Where(t => !t.HasPort(target)))
                {
                    problems.Add($"{item}: port {port.Name ?? port.Port.ToString(CultureInfo.InvariantCulture)} targets {Describe(target)}, which no container of {template.Owner.Kind} {template.Owner.Name} declares.");
                }
            }
        }

        return problems;
    }

    /// <summary>Every PodDisruptionBudget selects the pods of some workload in its namespace and sets exactly one of
    /// minAvailable and maxUnavailable.</summary>
    public IReadOnlyList<string> DisruptionBudgetProblems()
    {
        var problems = new List<string>();
        foreach (var item in Objects.Where(o => o.Object is V1PodDisruptionBudget))
        {
            var budget = (V1PodDisruptionBudget)item.Object;
            if (budget.Spec?.Selector is not { } selector || IsEmpty(selector))
            {
                problems.Add($"{item}: has no selector (it would cover every pod of the namespace).");
                continue;
            }

            if (!PodTemplates.Any(t => t.Owner.Namespace == item.Namespace && Matches(selector, t.Labels)))
            {
                problems.Add($"{item}: its selector ({Show(selector)}) matches no pod template in namespace {item.Namespace}.");
            }

            if ((budget.Spec.MinAvailable is null) == (budget.Spec.MaxUnavailable is null))
            {
                problems.Add($"{item}: sets {(budget.Spec.MinAvailable is null ? "neither" : "both")} of minAvailable and maxUnavailable.");
            }
        }

        return problems;
    }

    /// <summary>Every Secret and ConfigMap a pod template names (env valueFrom, envFrom, volumes) is defined in the
    /// manifests, in the pod's namespace, and every key it names is in the object's data or stringData.</summary>
    public IReadOnlyList<string> SecretAndConfigMapProblems()
    {
        var problems = new List<string>();
        foreach (var template in PodTemplates)
        {
            var ns = template.Owner.Namespace;
            foreach (var container in template.Containers)
            {
                var where = $"{template.Owner}, container {container.Name}";
                foreach (var env in container.Env ?? [])
                {
                    if (env.ValueFrom?.SecretKeyRef is { } secretKey)
                    {
                        CheckSecret(problems, $"{where}, env {env.Name}", ns, secretKey.Name, [secretKey.Key]);
                    }

                    if (env.ValueFrom?.ConfigMapKeyRef is { } configKey)
                    {
                        CheckConfigMap(problems, $"{where}, env {env.Name}", ns, configKey.Name, [configKey.Key]);
                    }
                }

                foreach (var source in container.EnvFrom ?? [])
                {
                    if (source.SecretRef is { } secret)
                    {
                        CheckSecret(problems, $"{where}, envFrom", ns, secret.Name, []);
                    }

                    if (source.ConfigMapRef is { } configMap)
                    {
                        CheckConfigMap(problems, $"{where}, envFrom", ns, configMap.Name, []);
                    }
                }
            }

            foreach (var volume in template.Template.Spec?.Volumes ?? [])
            {
                var where = $"{template.Owner}, volume {volume.Name}";
                if (volume.Secret is { } secret)
                {
                    CheckSecret(problems, where, ns, secret.SecretName, [.. (secret.Items ?? []).Select(i => i.Key)]);
                }

                if (volume.ConfigMap is { } configMap)
                {
                    CheckConfigMap(problems, where, ns, configMap.Name, [.. (configMap.Items ?? []).Select(i => i.Key)]);
                }
            }
        }

        return problems;
    }

    /// <summary>Every service account a pod template runs as (other than the namespace's <c>default</c>) is a
    /// ServiceAccount of the manifests and a RoleBinding binds it; every RoleBinding's role and service accounts
    /// exist.</summary>
    public IReadOnlyList<string> ServiceAccountProblems()
    {
        var problems = new List<string>();
        var bindings = Objects.Where(o => o.Object is V1RoleBinding).ToList();
        foreach (var binding in bindings)
        {
            var roleRef = ((V1RoleBinding)binding.Object).RoleRef;
            var role = roleRef?.Kind switch
            {
                "Role" => Find<V1Role>(binding.Namespace, roleRef.Name),
                "ClusterRole" => Objects.FirstOrDefault(o => o.Object is V1ClusterRole && o.Name == roleRef.Name),
                _ => null,
            };
            if (role is null)
            {
                problems.Add($"{binding}: its roleRef ({roleRef?.Kind} {roleRef?.Name}) names no {roleRef?.Kind ?? "role"} of the manifests{(roleRef?.Kind == "Role" ? $" in namespace {binding.Namespace}" : "")}.");
            }

            foreach (var subject in ((V1RoleBinding)binding.Object).Subjects ?? [])
            {
                var subjectNamespace = subject.NamespaceProperty is { Length: > 0 } ns ? ns : binding.Namespace;
                if (subject.Kind == "ServiceAccount" && Find<V1ServiceAccount>(subjectNamespace, subject.Name) is null)
                {
                    problems.Add($"{binding}: binds ServiceAccount {subjectNamespace}/{subject.Name}, which the manifests do not define.");
                }
            }
        }

        foreach (var template in PodTemplates)
        {
            var account = template.Template.Spec?.ServiceAccountName;
            if (account is null or "default")
            {
                continue;
            }

            var ns = template.Owner.Namespace;
            if (Find<V1ServiceAccount>(ns, account) is null)
            {
                problems.Add($"{template.Owner}: runs as service account {account}, which is no ServiceAccount in namespace {ns}.");
            }

            var bound = bindings.Where(b => ((V1RoleBinding)b.Object).Subjects?.Any(s =>
                s.Kind == "ServiceAccount" && s.Name == account && (s.NamespaceProperty is { Length: > 0 } sns ? sns : b.Namespace) == ns) == true);
            if (!bound.Any(b => b.Namespace == ns))
            {
                problems.Add($"{template.Owner}: its service account {account} is bound by no RoleBinding in namespace {ns}.");
            }
        }

        return problems;
    }

    /// <summary>Container ports have valid, distinct names (IANA_SVC_NAME: at most 15 lower-case letters, digits and
    /// inner single dashes) and numbers; every probe (and preStop/postStart HTTP or TCP handler) names a port its own
    /// container declares.</summary>
    public IReadOnlyList<string> PortProblems()
    {
        var problems = new List<string>();
        foreach (var template in PodTemplates)
        {
            foreach (var container in template.Containers)
            {
                var where = $"{template.Owner}, container {container.Name}";
                var ports = container.Ports ?? [];
                foreach (var port in ports)
                {
                    if (port.Name is { } name && !PortName().IsMatch(name))
                    {
                        problems.Add($"{where}: port name '{name}' is not an IANA_SVC_NAME (1-15 of a-z, 0-9 and inner single dashes, with a letter).");
                    }

                    if (port.ContainerPort is < 1 or > 65535)
                    {
                        problems.Add($"{where}: containerPort {port.ContainerPort} is out of range.");
                    }
                }

                foreach (var duplicate in ports.Where(p => p.Name is not null).GroupBy(p => p.Name).Where(g => g.Count() > 1))
                {
                    problems.Add($"{where}: port name '{duplicate.Key}' is declared {duplicate.Count()} times.");
                }

                var targets = new List<(string What, IntOrString Port)>();
                foreach (var (what, probe) in new[] { ("readinessProbe", container.ReadinessProbe), ("livenessProbe", container.LivenessProbe), ("startupProbe", container.StartupProbe) })
                {
                    if (probe?.HttpGet?.Port is { } http)
                    {
                        targets.Add((what, http));
                    }

                    if (probe?.TcpSocket?.Port is { } tcp)
                    {
                        targets.Add((what, tcp));
                    }

                    if (probe?.Grpc is { } grpc)
                    {
                        targets.Add((what, (IntOrString)grpc.Port));
                    }
                }

                foreach (var (what, handler) in new[] { ("preStop", container.Lifecycle?.PreStop), ("postStart", container.Lifecycle?.PostStart) })
                {
                    if (handler?.HttpGet?.Port is { } http)
                    {
                        targets.Add((what, http));
                    }

                    if (handler?.TcpSocket?.Port is { } tcp)
                    {
                        targets.Add((what, tcp));
                    }
                }

                foreach (var (what, target) in targets)
                {
                    var declared = int.TryParse(target.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                        ? ports.Any(p => p.ContainerPort == number)
                        : ports.Any(p => p.Name == target.Value);
                    if (!declared)
                    {
                        problems.Add($"{where}: {what} uses {Describe(target)}, which the container does not declare.");
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>Every namespaced object names its namespace (so that <c>kubectl apply -f</c> does not put it in the
    /// current context's), and that namespace, and every namespace a RoleBinding subject names, is a Namespace of the
    /// manifests.</summary>
    public IReadOnlyList<string> NamespaceProblems()
    {
        var problems = new List<string>();
        var defined = Objects.Where(o => o.Object is V1Namespace).Select(o => o.Name).ToHashSet();
        foreach (var item in Objects.Where(o => !ClusterScopedKinds.Contains(o.Kind)))
        {
            if (item.Object.Metadata?.NamespaceProperty is not { Length: > 0 })
            {
                problems.Add($"{item.File}: {item.Kind} {item.Name} names no metadata.namespace.");
            }
            else if (!defined.Contains(item.Namespace))
            {
                problems.Add($"{item}: namespace {item.Namespace} is not created by the manifests (namespace.yaml).");
            }
        }

        foreach (var binding in Objects.Where(o => o.Object is V1RoleBinding))
        {
            foreach (var subject in ((V1RoleBinding)binding.Object).Subjects ?? [])
            {
                if (subject.NamespaceProperty is { Length: > 0 } ns && !defined.Contains(ns))
                {
                    problems.Add($"{binding}: subject {subject.Kind} {subject.Name} is in namespace {ns}, which the manifests do not create.");
                }
            }
        }

        return problems;
    }

    /// <summary>Containers of the image <paramref name="isImage"/> accepts run its entry point (no <c>command</c>)
    /// with <c>args</c> that <paramref name="parse"/> accepts (it answers the error, or null); in every container a
    /// <c>$(NAME)</c> in command or args names one of the container's env variables (Kubernetes leaves an unknown one
    /// as it is).</summary>
    public IReadOnlyList<string> CommandProblems(Func<string, bool> isImage, Func<IReadOnlyList<string>, string?> parse)
    {
        ArgumentNullException.ThrowIfNull(isImage);
        ArgumentNullException.ThrowIfNull(parse);
        var problems = new List<string>();
        foreach (var template in PodTemplates)
        {
            foreach (var container in template.Containers)
            {
                var where = $"{template.Owner}, container {container.Name}";
                var env = (container.Env ?? []).Select(e => e.Name).ToHashSet();
                foreach (var reference in (container.Command ?? []).Concat(container.Args ?? []).SelectMany(a => VariableReference().Matches(a)))
                {
                    if (!env.Contains(reference.Groups[1].Value))
                    {
                        problems.Add($"{where}: {reference.Value} in its command line names no env variable of the container.");
                    }
                }

                if (container.Image is null || !isImage(container.Image))
                {
                    continue;
                }

                if (container.Command is { Count: > 0 })
                {
                    problems.Add($"{where}: sets command ({string.Join(' ', container.Command)}), which replaces the image's entry point.");
                    continue;
                }

                var args = container.Args?.ToList() ?? [];
                if (parse(args) is { } error)
                {
                    problems.Add($"{where}: args [{string.Join(", ", args)}] are not a command the CLI knows: {error}");
                }
            }
        }

        return problems;
    }

    /// <summary>Every in-cluster URL (<c>http://NAME.NAMESPACE.svc[.cluster.local][:PORT]</c>) in a container's env
    /// values or a ConfigMap's data names a Service of the manifests and one of its ports (80 when none is given).</summary>
    public IReadOnlyList<string> ServiceUrlProblems()
    {
        var problems = new List<string>();
        var texts = PodTemplates
            .SelectMany(t => t.Containers.SelectMany(c => (c.Env ?? []).Where(e => e.Value is not null)
                .Select(e => ($"{t.Owner}, container {c.Name}, env {e.Name}", e.Value))))
            .Concat(Objects.Where(o => o.Object is V1ConfigMap)
                .SelectMany(o => (((V1ConfigMap)o.Object).Data ?? new Dictionary<string, string>()).Select(d => ($"{o}, key {d.Key}", d.Value))));
        foreach (var (where, text) in texts)
        {
            foreach (Match url in ServiceUrl().Matches(text))
            {
                var (name, ns) = (url.Groups["name"].Value, url.Groups["ns"].Value);
                var port = url.Groups["port"].Success ? int.Parse(url.Groups["port"].Value, CultureInfo.InvariantCulture) : 80;
                if (Find<V1Service>(ns, name) is not { } service)
                {
                    problems.Add($"{where}: {url.Value} names Service {ns}/{name}, which the manifests do not define.");
                }
                else if (((V1Service)service.Object).Spec?.Ports?.Any(p => p.Port == port) != true)
                {
                    problems.Add($"{where}: {url.Value}: Service {ns}/{name} ({service.File}) has no port {port}.");
                }
            }
        }

        return problems;
    }

    /// <summary>Every check's problems, load problems first.</summary>
    public IReadOnlyList<string> AllProblems(Func<string, bool> isImage, Func<IReadOnlyList<string>, string?> parse) =>
    [
        .. LoadProblems, .. WorkloadSelectorProblems(), .. ServiceProblems(), .. DisruptionBudgetProblems(),
        .. SecretAndConfigMapProblems(), .. ServiceAccountProblems(), .. PortProblems(), .. NamespaceProblems(),
        .. ServiceUrlProblems(), .. CommandProblems(isImage, parse),
    ];

    /// <summary>Whether <paramref name="selector"/> (matchLabels and matchExpressions) selects <paramref name="labels"/>.</summary>
    public static bool Matches(V1LabelSelector selector, IDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return MatchesLabels(selector.MatchLabels, labels) && (selector.MatchExpressions ?? []).All(e =>
        {
            var has = labels.TryGetValue(e.Key, out var value);
            return e.OperatorProperty switch
            {
                "In" => has && e.Values?.Contains(value!) == true,
                "NotIn" => !has || e.Values?.Contains(value!) != true,
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
        });
    }

    private static bool MatchesLabels(IDictionary<string, string>? selector, IDictionary<string, string> labels) =>
        (selector ?? new Dictionary<string, string>()).All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    private static bool IsEmpty(V1LabelSelector selector) =>
        selector.MatchLabels is not { Count: > 0 } && selector.MatchExpressions is not { Count: > 0 };

    private static IEnumerable<PodTemplate> TemplatesOf(ManifestObject item) => item.Object switch
    {
        V1Deployment { Spec.Template: { } template } deployment => [new(item, template, deployment.Spec.Selector)],
        V1StatefulSet { Spec.Template: { } template } statefulSet => [new(item, template, statefulSet.Spec.Selector)],
        V1DaemonSet { Spec.Template: { } template } daemonSet => [new(item, template, daemonSet.Spec.Selector)],
        V1ReplicaSet { Spec.Template: { } template } replicaSet => [new(item, template, replicaSet.Spec.Selector)],
        V1Job { Spec.Template: { } template } job => [new(item, template, job.Spec.Selector)],
        V1CronJob { Spec.JobTemplate.Spec.Template: { } template } => [new(item, template, null)],
        _ => [],
    };

    private ManifestObject? Find<T>(string ns, string? name) =>
        Objects.FirstOrDefault(o => o.Object is T && o.Namespace == ns && o.Name == name);

    private void CheckSecret(List<string> problems, string where, string ns, string? name, IReadOnlyList<string> keys)
    {
        if (Find<V1Secret>(ns, name) is not { } found)
        {
            problems.Add($"{where}: Secret {name} is not defined in namespace {ns} by any manifest (an example file counts).");
            return;
        }

        var secret = (V1Secret)found.Object;
        var defined = (secret.Data?.Keys ?? []).Concat(secret.StringData?.Keys ?? []).ToHashSet();
        foreach (var key in keys.Where(k => !defined.Contains(k)))
        {
            problems.Add($"{where}: key '{key}' of Secret {name} ({found.File}) is not in its data or stringData ({string.Join(", ", defined)}).");
        }
    }

    private void CheckConfigMap(List<string> problems, string where, string ns, string? name, IReadOnlyList<string> keys)
    {
        if (Find<V1ConfigMap>(ns, name) is not { } found)
        {
            problems.Add($"{where}: ConfigMap {name} is not defined in namespace {ns} by any manifest.");
            return;
        }

        var configMap = (V1ConfigMap)found.Object;
        var defined = (configMap.Data?.Keys ?? []).Concat(configMap.BinaryData?.Keys ?? []).ToHashSet();
        foreach (var key in keys.Where(k => !defined.Contains(k)))
        {
            problems.Add($"{where}: key '{key}' of ConfigMap {name} ({found.File}) is not in its data ({string.Join(", ", defined)}).");
        }
    }

    private static string Describe(IntOrString port) =>
        int.TryParse(port.Value, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"port {port.Value}" : $"the port named '{port.Value}'";

    private static string Describe(Exception ex) => ex.InnerException is null ? ex.Message : $"{ex.Message} ({Describe(ex.InnerException)})";

    private static string Show(IDictionary<string, string> labels) => string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}"));

    private static string Show(V1LabelSelector selector) => string.Join(", ",
        (selector.MatchLabels ?? new Dictionary<string, string>()).Select(l => $"{l.Key}={l.Value}")
        .Concat((selector.MatchExpressions ?? []).Select(e => $"{e.Key} {e.OperatorProperty} ({string.Join(",", e.Values ?? [])})")));

    [GeneratedRegex("^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex PortName();

    [GeneratedRegex(@"https?://(?<name>[a-z0-9]([-a-z0-9]*[a-z0-9])?)\.(?<ns>[a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?(:(?<port>[0-9]+))?")]
    private static partial Regex ServiceUrl();

    [GeneratedRegex(@"(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();
}
