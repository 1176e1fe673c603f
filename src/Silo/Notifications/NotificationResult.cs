namespace OrleansFlow.Silo.Notifications;

/// <summary>What happened when a notification was sent or a webhook called. A remote failure (an HTTP status of 400 or
/// more, an SMTP error reply, a refused connection, a timeout) is a result with <see cref="Ok"/> false, never an
/// exception.</summary>
/// <param name="Ok">True when the remote end accepted the message (HTTP 2xx, SMTP 250 after DATA).</param>
/// <param name="StatusCode">The last HTTP status code, or the last SMTP reply code; null when no answer came.</param>
/// <param name="Error">Why it failed (null when <paramref name="Ok"/>); never holds a secret value.</param>
/// <param name="Attempts">How many attempts were made (1 to <see cref="NotificationOptions.MaxAttempts"/>).</param>
/// <param name="ResponseBody">The start of the HTTP response body (at most
/// <see cref="NotificationOptions.MaxResponseBodyLength"/> characters), or the last SMTP reply text.</param>
public sealed record NotificationResult(bool Ok, int? StatusCode, string? Error, int Attempts, string? ResponseBody = null)
{
    /// <summary>A failure before anything was sent (no block, wrong block type, bad configuration).</summary>
    public static NotificationResult Failed(string error) => new(false, null, error, 0);
}
