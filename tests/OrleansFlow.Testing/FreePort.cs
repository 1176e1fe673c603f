using System.Net;
using System.Net.Sockets;

namespace OrleansFlow.Testing;

/// <summary>Free TCP ports on the loopback interface.</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago (the OS picks it). Another process could take it before the caller
    /// binds it, so callers that start servers retry with a new port when the bind fails.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
