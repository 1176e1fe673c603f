using System.Net;
using System.Net.Sockets;

namespace OrleansFlow.Silo.Notifications;

/// <summary>The check behind a block's <c>allow_private_urls: false</c>: the URL's host must not resolve to a loopback,
/// private, shared, link-local or unspecified address. It is checked before connecting (a host that changes its DNS
/// answer between the check and the connection is not caught).</summary>
internal static class PrivateAddresses
{
    /// <summary>Null when every address of <paramref name="url"/>'s host is public; else why not.</summary>
    public static async Task<string?> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(url.IdnHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                return $"The host '{url.Host}' could not be resolved: {e.Message}";
            }
        }

        return addresses.FirstOrDefault(IsPrivate) is { } found
            ? $"The URL's host resolves to a private address ({found}) and the block does not allow private URLs"
            : null;
    }

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }

        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 || (b[0] == 172 && b[1] is >= 16 and < 32) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and < 128);
    }
}
