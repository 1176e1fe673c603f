using System.Net;
using System.Net.NetworkInformation;
using Microsoft.AspNetCore.Http;

namespace OrleansFlow.Gateway.Security;

/// <summary>The host names a request's <c>Host</c> header may name (see <see cref="ServerOptions.AllowedHosts"/>). A page
/// on another site that re-points its own name at this server (DNS rebinding) sends that name, so it is refused.</summary>
internal sealed class HostAllowList
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _any;

    public HostAllowList(ServerOptions options)
    {
        foreach (var name in new[] { "localhost", "127.0.0.1", "::1", options.Host }.Concat(options.AllowedHosts))
        {
            if (name == "*")
            {
                _any = true;
            }

            _names.Add(Normalize(name));
        }

        if (options.Host is "0.0.0.0" or "::" or "[::]" or "*" or "+")
        {
            // Listening everywhere: the machine's own names and addresses (a probe by pod IP, a call by host name) are its own.
            _names.Add(Environment.MachineName);
            foreach (var address in LocalAddresses())
            {
                _names.Add(Normalize(address.ToString()));
            }
        }
    }

    /// <summary>True when <paramref name="host"/> (the request's <c>Host</c>, port ignored) is on the list.</summary>
    public bool Allows(HostString host) => _any || (host.HasValue && _names.Contains(Normalize(host.Host)));

    private static string Normalize(string name)
    {
        var trimmed = name.Trim().TrimEnd('.');
        if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
        {
            trimmed = trimmed[1..^1];
        }

        return IPAddress.TryParse(trimmed, out var address) ? address.ToString() : trimmed;
    }

    private static IEnumerable<IPAddress> LocalAddresses()
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            yield break;
        }

        foreach (var networkInterface in interfaces)
        {
            foreach (var unicast in networkInterface.GetIPProperties().UnicastAddresses)
            {
                // A Host header never carries an IPv6 zone (fe80::1%eth0): compare without it.
                var address = unicast.Address;
                yield return address.IsIPv6LinkLocal ? new IPAddress(address.GetAddressBytes()) : address;
            }
        }
    }
}
