using System.Globalization;
using System.Text;

namespace OrleansFlow.Silo.Notifications;

/// <summary>A text/plain UTF-8 email, written as MIME: an ASCII body goes as it is (7bit), any other as base64; a
/// non-ASCII subject is encoded as RFC 2047 says.</summary>
internal sealed record EmailMessage(string From, IReadOnlyList<string> To, string Subject, string Body, DateTimeOffset Date, string MessageId)
{
    public string ToMime()
    {
        var builder = new StringBuilder();
        builder.Append("From: ").Append(From).Append("\r\n");
        builder.Append("To: ").Append(string.Join(", ", To)).Append("\r\n");
        builder.Append("Subject: ").Append(EncodeHeader(Subject)).Append("\r\n");
        builder.Append("Date: ").Append(Date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture))
            .Append(Date.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal)).Append("\r\n");
        builder.Append("Message-ID: <").Append(MessageId).Append(">\r\n");
        builder.Append("MIME-Version: 1.0\r\n");
        builder.Append("Content-Type: text/plain; charset=utf-8\r\n");
        var body = Body.ReplaceLineEndings("\r\n");
        var plain = body.All(c => c < 128) && body.Split("\r\n").All(l => l.Length <= 998);
        builder.Append("Content-Transfer-Encoding: ").Append(plain ? "7bit" : "base64").Append("\r\n\r\n");
        if (plain)
        {
            builder.Append(body);
        }
        else
        {
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(body));
            for (var i = 0; i < encoded.Length; i += 76)
            {
                builder.Append(encoded, i, Math.Min(76, encoded.Length - i)).Append("\r\n");
            }
        }

        return builder.ToString().TrimEnd('\r', '\n');
    }

    /// <summary>An address as SMTP's <c>MAIL FROM</c>/<c>RCPT TO</c> take it: no spaces, angle brackets or line breaks,
    /// one <c>@</c> with something on both sides.</summary>
    /// <exception cref="ArgumentException">The address is not one.</exception>
    public static string CheckAddress(string address, string field)
    {
        var trimmed = address.Trim();
        var at = trimmed.LastIndexOf('@');
        return at > 0 && at < trimmed.Length - 1 && !trimmed.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';' || char.IsControl(c))
            ? trimmed
            : throw new ArgumentException($"{field}: '{address}' is not an email address");
    }

    private static string EncodeHeader(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.All(c => c is >= ' ' and < (char)127) ? oneLine : $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(oneLine))}?=";
    }
}
