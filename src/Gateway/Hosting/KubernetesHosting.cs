using k8s;

namespace OrleansFlow.Gateway.Hosting;

/// <summary>Orleans' Kubernetes hosting for a silo in a pod (<see cref="Silo.Runtime.SiloOptions.Kubernetes"/>).</summary>
public static class KubernetesHosting
{
    /// <summary>Names the silo after its pod, advertises the pod's address, labels the pod with the cluster's ids, and
    /// watches the cluster's pods: a silo whose pod is deleted, or that has no pod when a silo starts, is declared dead at
    /// once. The Kubernetes API is the one a <c>KUBECONFIG</c> file names, or else the pod's own (its service
    /// account).</summary>
    public static ISiloBuilder UseOrleansFlowKubernetesHosting(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseKubernetesHosting(options => options.Configure(kubernetes => kubernetes.GetClientConfiguration = ClientConfiguration));
    }

    /// <summary>The configuration of the Kubernetes API client: <c>KUBECONFIG</c>'s file when set, else the pod's service
    /// account.</summary>
    public static KubernetesClientConfiguration ClientConfiguration() =>
        Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } file
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(file)
            : KubernetesClientConfiguration.InClusterConfig();
}
