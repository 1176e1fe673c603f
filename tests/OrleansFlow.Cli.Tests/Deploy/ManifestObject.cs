using System.Globalization;
using k8s;
using k8s.Models;

namespace OrleansFlow.Cli.Tests.Deploy;

/// <summary>One object of a manifest file, as the Kubernetes client library's model type.</summary>
internal sealed record ManifestObject(string File, IKubernetesObject<V1ObjectMeta> Object)
{
    public string Kind => Object.Kind;

    public string Name => Object.Metadata?.Name ?? "(no name)";

    /// <summary>The object's namespace as the API server would take it (<c>default</c> when the manifest names none).</summary>
    public string Namespace => Object.Metadata?.NamespaceProperty is { Length: > 0 } ns ? ns : "default";

    public override string ToString() => $"{File}: {Kind} {Namespace}/{Name}";
}

/// <summary>The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob) and its selector.</summary>
internal sealed record PodTemplate(ManifestObject Owner, V1PodTemplateSpec Template, V1LabelSelector? Selector)
{
    public IDictionary<string, string> Labels => Template.Metadata?.Labels ?? new Dictionary<string, string>();

    public IEnumerable<V1Container> Containers =>
        (Template.Spec?.InitContainers ?? []).Concat(Template.Spec?.Containers ?? []);

    public bool HasPort(IntOrString port) => int.TryParse(port.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
        ? Template.Spec?.Containers?.Any(c => c.Ports?.Any(p => p.ContainerPort == number) == true) == true
        : Template.Spec?.Containers?.Any(c => c.Ports?.Any(p => p.Name == port.Value) == true) == true;
}
