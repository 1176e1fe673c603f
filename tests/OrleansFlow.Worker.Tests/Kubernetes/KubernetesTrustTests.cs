using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OrleansFlow.Worker.Kubernetes;

namespace OrleansFlow.Worker.Tests.Kubernetes;

/// <summary>The API server's certificate is trusted only when it chains to the cluster CA from the service account.</summary>
public sealed class KubernetesTrustTests
{
    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 Server(X509Certificate2 authority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("kubernetes.default.svc");
        request.CertificateExtensions.Add(names.Build());
        var serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        return request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
    }

    [Fact]
    public void TrustedBy_CertificateIssuedByTheClusterCa_IsTrustedAndOneFromAnotherCaIsNot()
    {
        using var cluster = Authority("cluster-ca");
        using var other = Authority("other-ca");
        using var server = Server(cluster);
        using var impostor = Server(other);

        // The platform reports an untrusted root (the cluster CA is in no system store): the custom chain decides.
        Assert.True(KubernetesApi.TrustedBy(cluster, server, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(KubernetesApi.TrustedBy(cluster, impostor, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(KubernetesApi.TrustedBy(cluster, server, SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void InCluster_OutsideAPod_SaysSo()
    {
        if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 })
        {
            return; // running inside a cluster: nothing to check here
        }

        var error = Assert.Throws<InvalidOperationException>(KubernetesApi.InCluster);
        Assert.Contains("KUBERNETES_SERVICE_HOST", error.Message, StringComparison.Ordinal);
    }
}
