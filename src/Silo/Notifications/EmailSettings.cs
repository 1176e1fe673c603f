using System.Text.Json.Nodes;

namespace OrleansFlow.Silo.Notifications;

/// <summary>The SMTP settings of an <c>email</c> block document.</summary>
internal sealed record EmailSettings(string Server, int Port, SmtpType Type, string? Username, string? Password, bool Verify, string From, IReadOnlyList<string> To)
{
    /// <summary>Reads a block document's data (secrets opened).</summary>
    /// <exception cref="ArgumentException">A field is missing or not valid; the message names it.</exception>
    public static EmailSettings Read(JsonObject data)
    {
        var server = BlockData.String(data, "smtp_server") is { Length: > 0 } s ? s : throw new ArgumentException("smtp_server is required");
        var type = (BlockData.String(data, "smtp_type") ?? "SSL").ToUpperInvariant() switch
        {
            "SSL" => SmtpType.Ssl,
            "STARTTLS" => SmtpType.StartTls,
            "INSECURE" => SmtpType.Insecure,
            var other => throw new ArgumentException($"smtp_type must be SSL, STARTTLS or INSECURE, not '{other}'"),
        };
        var port = BlockData.Integer(data, "smtp_port") ?? type switch
        {
            SmtpType.Ssl => 465,
            SmtpType.StartTls => 587,
            _ => 25,
        };
        if (port is < 1 or > 65535)
        {
            throw new ArgumentException($"smtp_port must be between 1 and 65535, not {port}");
        }

        var from = BlockData.String(data, "email_from") is { Length: > 0 } f ? EmailMessage.CheckAddress(f, "email_from") : throw new ArgumentException("email_from is required");
        var to = data["email_to"] switch
        {
            JsonArray items => items.Select(i => EmailMessage.CheckAddress(i is JsonValue v && v.TryGetValue<string>(out var one) ? one : i?.ToJsonString() ?? "null", "email_to")).ToList(),
            JsonValue single when single.TryGetValue<string>(out var one) => [EmailMessage.CheckAddress(one, "email_to")],
            _ => [],
        };
        if (to.Count == 0)
        {
            throw new ArgumentException("email_to must list at least one address");
        }

        return new EmailSettings(server, (int)port, type, BlockData.String(data, "username"), BlockData.String(data, "password"),
            BlockData.Bool(data, "verify") ?? true, from, to);
    }
}
