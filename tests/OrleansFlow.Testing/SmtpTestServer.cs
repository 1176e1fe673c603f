using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OrleansFlow.Testing;

/// <summary>One message as <see cref="SmtpTestServer"/> got it: the envelope, the login and the raw DATA (dots
/// unstuffed), with its headers and body decoded.</summary>
public sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> RcptTo, string Data, string? LoginUser, string? LoginPassword)
{
    /// <summary>A header's value (the first with that name, case-insensitive), RFC 2047 <c>=?utf-8?B?...?=</c> decoded; null when absent.</summary>
    public string? Header(string name)
    {
        foreach (var line in Data[..HeaderEnd].Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                var value = line[(colon + 1)..].Trim();
                return value.StartsWith("=?utf-8?B?", StringComparison.OrdinalIgnoreCase) && value.EndsWith("?=", StringComparison.Ordinal)
                    ? Encoding.UTF8.GetString(Convert.FromBase64String(value[10..^2]))
                    : value;
            }
        }

        return null;
    }

    /// <summary>The body, decoded when its Content-Transfer-Encoding is base64.</summary>
    public string Body
    {
        get
        {
            var raw = Data[Math.Min(Data.Length, HeaderEnd + 4)..];
            return string.Equals(Header("Content-Transfer-Encoding"), "base64", StringComparison.OrdinalIgnoreCase)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(raw.Replace("\r\n", "", StringComparison.Ordinal)))
                : raw;
        }
    }

    private int HeaderEnd => Data.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0 ? end : Data.Length;
}

/// <summary>A tiny SMTP server for tests, on 127.0.0.1 and a free port: EHLO/HELO, AUTH PLAIN and LOGIN, MAIL, RCPT,
/// DATA, RSET, NOOP, QUIT, and with a certificate STARTTLS or TLS from the start. It records every accepted message;
/// <see cref="RejectRecipientsWith"/> makes it refuse recipients.</summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentQueue<ReceivedMail> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private readonly X509Certificate2? _certificate;
    private readonly bool _implicitTls;

    private SmtpTestServer(X509Certificate2? certificate, bool implicitTls)
    {
        _certificate = certificate;
        _implicitTls = implicitTls;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>When set (e.g. 550), every RCPT TO is answered with this code.</summary>
    public int? RejectRecipientsWith { get; set; }

    /// <summary>The messages accepted so far.</summary>
    public IReadOnlyList<ReceivedMail> Messages => [.. _messages];

    /// <summary>Starts a server without TLS.</summary>
    public static SmtpTestServer Start() => new(null, false);

    /// <summary>Starts a server with a new self-signed certificate for <c>localhost</c>/<c>127.0.0.1</c>: TLS from the
    /// first byte when <paramref name="implicitTls"/>, else offered through STARTTLS.</summary>
    public static SmtpTestServer StartWithTls(bool implicitTls) => new(SelfSigned(), implicitTls);

    /// <summary>True once a client has completed a TLS handshake.</summary>
    public bool TlsUsed { get; private set; }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private async Task<Stream> TlsAsync(Stream inner)
    {
        var tls = new SslStream(inner, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsServerAsync(_certificate!);
        TlsUsed = true;
        return tls;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            if (_implicitTls)
            {
                stream = await TlsAsync(stream);
            }

            var reader = new StreamReader(stream, new UTF8Encoding(false));
            var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost test SMTP");
            string? from = null;
            var to = new List<string>();
            string? user = null;
            string? password = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        var startTls = _certificate is not null && stream is not SslStream ? "250-STARTTLS\r\n" : "";
                        await writer.WriteAsync($"250-localhost\r\n{startTls}250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n");
                        break;
                    case "STARTTLS" when _certificate is not null && stream is not SslStream:
                        await writer.WriteLineAsync("220 Ready to start TLS");
                        stream = await TlsAsync(stream);
                        reader = new StreamReader(stream, new UTF8Encoding(false));
                        writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
                        from = null;
                        to = [];
                        user = null;
                        password = null;
                        break;
                    case "HELO" or "NOOP" or "RSET":
                        if (verb == "RSET")
                        {
                            (from, to) = (null, []);
                        }

                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "AUTH":
                        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        if (parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
                        {
                            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(parts[2])).Split('\0');
                            (user, password) = (fields[1], fields[2]);
                        }
                        else
                        {
                            await writer.WriteLineAsync("334 VXNlcm5hbWU6");
                            user = Encoding.UTF8.GetString(Convert.FromBase64String((await reader.ReadLineAsync())!));
                            await writer.WriteLineAsync("334 UGFzc3dvcmQ6");
                            password = Encoding.UTF8.GetString(Convert.FromBase64String((await reader.ReadLineAsync())!));
                        }

                        await writer.WriteLineAsync("235 Authentication successful");
                        break;
                    case "MAIL":
                        from = Address(line);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        if (RejectRecipientsWith is { } code)
                        {
                            await writer.WriteLineAsync($"{code} No such user here");
                            break;
                        }

                        to.Add(Address(line));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        _messages.Enqueue(new ReceivedMail(from ?? "", [.. to], data.ToString().TrimEnd('\r', '\n'), user, password));
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away or the server is stopping.
        }
    }

    private static string Address(string line)
    {
        var open = line.IndexOf('<', StringComparison.Ordinal);
        var close = line.LastIndexOf('>');
        return open >= 0 && close > open ? line[(open + 1)..close] : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
