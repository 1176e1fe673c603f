using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OrleansFlow.Silo.Notifications;

/// <summary>A small SMTP client (RFC 5321): implicit TLS (<c>SSL</c>), <c>STARTTLS</c> or plain (<c>INSECURE</c>),
/// <c>AUTH PLAIN</c> or <c>AUTH LOGIN</c>, one text/plain UTF-8 message to several recipients.</summary>
internal static class SmtpMailer
{
    /// <summary>Sends <paramref name="message"/>; the last reply on success.</summary>
    /// <exception cref="SmtpReplyException">The server refused a command.</exception>
    /// <exception cref="IOException">The connection failed or closed.</exception>
    /// <exception cref="SocketException">The server could not be reached.</exception>
    public static async Task<(int Code, string Text)> SendAsync(EmailSettings settings, EmailMessage message, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(settings.Server, settings.Port, cancellationToken).ConfigureAwait(false);
        Stream stream = tcp.GetStream();
        try
        {
            if (settings.Type == SmtpType.Ssl)
            {
                stream = await TlsAsync(stream, settings, cancellationToken).ConfigureAwait(false);
            }

            var connection = new Connection(stream);
            await connection.ExpectAsync(220, "greeting", cancellationToken).ConfigureAwait(false);
            var extensions = await connection.EhloAsync(cancellationToken).ConfigureAwait(false);
            if (settings.Type == SmtpType.StartTls)
            {
                if (!extensions.Any(e => e.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase)))
                {
                    throw new SmtpReplyException(554, "The server does not offer STARTTLS", "EHLO");
                }

                await connection.CommandAsync("STARTTLS", 220, cancellationToken).ConfigureAwait(false);
                stream = await TlsAsync(stream, settings, cancellationToken).ConfigureAwait(false);
                connection = new Connection(stream);
                extensions = await connection.EhloAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!string.IsNullOrEmpty(settings.Username))
            {
                await LoginAsync(connection, extensions, settings.Username, settings.Password ?? "", cancellationToken).ConfigureAwait(false);
            }

            await connection.CommandAsync($"MAIL FROM:<{message.From}>", 250, cancellationToken).ConfigureAwait(false);
            foreach (var to in message.To)
            {
                await connection.CommandAsync($"RCPT TO:<{to}>", 250, cancellationToken, 251).ConfigureAwait(false);
            }

            await connection.CommandAsync("DATA", 354, cancellationToken).ConfigureAwait(false);
            await connection.WriteAsync(DotStuffed(message.ToMime()) + "\r\n.\r\n", cancellationToken).ConfigureAwait(false);
            var accepted = await connection.ExpectAsync(250, "DATA", cancellationToken).ConfigureAwait(false);
            try
            {
                await connection.CommandAsync("QUIT", 221, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SmtpReplyException)
            {
                // The message is accepted; a server that drops the connection at QUIT changes nothing.
            }

            return accepted;
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<Stream> TlsAsync(Stream inner, EmailSettings settings, CancellationToken cancellationToken)
    {
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions { TargetHost = settings.Server };
        if (!settings.Verify)
        {
            options.RemoteCertificateValidationCallback = static (object _, X509Certificate? _, X509Chain? _, SslPolicyErrors _) => true;
        }

        await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        return tls;
    }

    private static async Task LoginAsync(Connection connection, IReadOnlyList<string> extensions, string username, string password, CancellationToken cancellationToken)
    {
        var mechanisms = extensions.Where(e => e.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e[4..].Trim(' ', '=').Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(m => m.ToUpperInvariant()).ToHashSet();
        if (mechanisms.Contains("PLAIN") || !mechanisms.Contains("LOGIN"))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{username}\0{password}"));
            await connection.CommandAsync($"AUTH PLAIN {token}", 235, cancellationToken, hide: "AUTH PLAIN").ConfigureAwait(false);
            return;
        }

        await connection.CommandAsync("AUTH LOGIN", 334, cancellationToken).ConfigureAwait(false);
        await connection.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(username)), 334, cancellationToken, hide: "AUTH LOGIN user").ConfigureAwait(false);
        await connection.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), 235, cancellationToken, hide: "AUTH LOGIN password").ConfigureAwait(false);
    }

    /// <summary>A line that starts with a dot gets a second one (RFC 5321 4.5.2).</summary>
    private static string DotStuffed(string mime) =>
        (mime.StartsWith('.') ? "." : "") + mime.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);

    /// <summary>Commands and replies over one stream; replies are read line by line (multi-line replies joined).</summary>
    private sealed class Connection(Stream stream)
    {
        private readonly byte[] _buffer = new byte[4096];
        private int _start;
        private int _end;

        public async Task<IReadOnlyList<string>> EhloAsync(CancellationToken cancellationToken)
        {
            await WriteAsync("EHLO orleansflow\r\n", cancellationToken).ConfigureAwait(false);
            var (code, lines) = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            return code == 250 ? lines.Skip(1).ToList() : throw new SmtpReplyException(code, string.Join(" ", lines), "EHLO");
        }

        public async Task<(int Code, string Text)> CommandAsync(string command, int expected, CancellationToken cancellationToken, int alsoOk = 0, string? hide = null)
        {
            await WriteAsync(command + "\r\n", cancellationToken).ConfigureAwait(false);
            return await ExpectAsync(expected, hide ?? command.Split(' ')[0], cancellationToken, alsoOk).ConfigureAwait(false);
        }

        public async Task<(int Code, string Text)> ExpectAsync(int expected, string what, CancellationToken cancellationToken, int alsoOk = 0)
        {
            var (code, lines) = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            var text = string.Join(" ", lines);
            return code == expected || (alsoOk != 0 && code == alsoOk) ? (code, text) : throw new SmtpReplyException(code, text, what);
        }

        public async Task WriteAsync(string text, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task<(int Code, List<string> Lines)> ReadReplyAsync(CancellationToken cancellationToken)
        {
            var lines = new List<string>();
            while (true)
            {
                var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                {
                    throw new IOException($"Not an SMTP reply: '{(line.Length > 80 ? line[..80] : line)}'");
                }

                lines.Add(line.Length > 4 ? line[4..] : "");
                if (line.Length == 3 || line[3] != '-')
                {
                    return (code, lines);
                }
            }
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                    if (_end == 0)
                    {
                        throw new IOException("The SMTP server closed the connection");
                    }
                }

                var b = _buffer[_start++];
                if (b == '\n')
                {
                    return Encoding.UTF8.GetString([.. line]).TrimEnd('\r');
                }

                if (line.Count > 4096)
                {
                    throw new IOException("SMTP reply line too long");
                }

                line.Add(b);
            }
        }
    }
}
