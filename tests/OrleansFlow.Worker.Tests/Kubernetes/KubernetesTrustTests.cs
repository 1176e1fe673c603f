using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using OrleansFlow.Worker.Kubernetes;

namespace OrleansFlow.Worker.Tests.Kubernetes;

/// <summary>Over HTTPS the client trusts the API server only when its certificate chains to the cluster CA (in a pod: the
/// service account's <c>ca.crt</c>, which <see cref="KubernetesClientConfiguration.InClusterConfig"/> loads).</summary>
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

    // The API server's certificate for 127.0.0.1, issued by the cluster CA, with its key (loaded as a server needs it).
    private static X509Certificate2 Server(X509Certificate2 authority)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("kubernetes.default.svc");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task Https_ServerCertificateFromTheClusterCa_IsTrustedAndOneFromAnotherCaIsNot()
    {
        using var cluster = Authority("cluster-ca");
        using var other = Authority("other-ca");
        using var certificate = Server(cluster);
        await using var fake = await FakeKubernetes.StartAsync(certificate);
        Assert.StartsWith("https://", fake.Url, StringComparison.Ordinal);

        using var trusting = new KubernetesApi(new KubernetesClientConfiguration { Host = fake.Url, SslCaCerts = [cluster] });
        using var distrusting = new KubernetesApi(new KubernetesClientConfiguration { Host = fake.Url, SslCaCerts = [other] });

        // The fake answers 404 for a Job it does not have: the call went through.
        Assert.Null(await trusting.ReadJobAsync("flows", "missing"));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => distrusting.ReadJobAsync("flows", "missing"));
        Assert.Single(fake.Requests);
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
