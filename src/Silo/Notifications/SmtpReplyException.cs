namespace OrleansFlow.Silo.Notifications;

/// <summary>An SMTP server answered a command with an error reply.</summary>
internal sealed class SmtpReplyException(int code, string text, string command) : Exception($"SMTP {command}: {code} {text}")
{
    public int Code { get; } = code;

    public string Text { get; } = text;

    /// <summary>4xx replies are temporary (RFC 5321): the same message may be sent again later.</summary>
    public bool IsTransient => Code is >= 400 and < 500;
}
