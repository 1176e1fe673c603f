namespace OrleansFlow.Silo.Notifications;

/// <summary>Timeouts and retries of <see cref="NotificationSender"/>.</summary>
public sealed record NotificationOptions
{
    /// <summary>The defaults.</summary>
    public static NotificationOptions Default { get; } = new();

    /// <summary>How long one attempt may take (connect, send, answer), unless the block says otherwise (the custom
    /// webhook's <c>timeout</c>). Default 10 s, Prefect's.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many attempts are made in all, at most. Default 3. Only transient failures are tried again: no
    /// connection, a timeout, HTTP 408, 429, 502, 503 and 504, SMTP 4xx replies. HTTP 500 and other errors are
    /// answered at once (the request may have had an effect).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The wait before the second attempt; it doubles for each later one. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How much of an HTTP response body a result keeps, in characters. Default 1,000 (Prefect's).</summary>
    public int MaxResponseBodyLength { get; init; } = 1000;
}
