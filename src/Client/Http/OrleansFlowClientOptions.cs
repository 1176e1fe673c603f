namespace OrleansFlow.Client;

/// <summary>Settings of an <see cref="OrleansFlowClient"/> (bind them from the <c>OrleansFlow:Client</c> section or set them
/// in code).</summary>
public sealed class OrleansFlowClientOptions
{
    /// <summary>The API root, e.g. <c>http://127.0.0.1:4200/api</c>. Default: <c>ORLEANSFLOW_API_URL</c>, else
    /// <c>http://127.0.0.1:4200/api</c>.</summary>
    public Uri ApiUrl { get; set; } = DefaultApiUrl();

    /// <summary>How many times a call the server did not process (no connection, 429, 503) is tried again. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first wait before trying again; later waits grow linearly. Default 250 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest a single call may take. Default 100 s, above the longest long poll (60 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The User-Agent product sent with each call. Default <c>orleansflow-client</c>.</summary>
    public string UserAgent { get; set; } = "orleansflow-client";

    /// <summary>The API key sent with every call as <c>Authorization: Bearer KEY</c>; null sends none (a server with
    /// authentication off). Default: <c>ORLEANSFLOW_API_KEY</c>, else <c>PREFECT_API_KEY</c>, else none. Bind it from
    /// <c>OrleansFlow:Client:ApiKey</c>; it is never logged.</summary>
    public string? ApiKey { get; set; } = DefaultApiKey();

    /// <summary><c>ORLEANSFLOW_API_KEY</c>, else <c>PREFECT_API_KEY</c>, else null.</summary>
    public static string? DefaultApiKey() =>
        Environment.GetEnvironmentVariable("ORLEANSFLOW_API_KEY") is { Length: > 0 } key ? key
        : Environment.GetEnvironmentVariable("PREFECT_API_KEY") is { Length: > 0 } prefect ? prefect
        : null;

    /// <summary><c>ORLEANSFLOW_API_URL</c>, else <c>http://127.0.0.1:4200/api</c>.</summary>
    /// <exception cref="UriFormatException">The variable is not an absolute URL.</exception>
    public static Uri DefaultApiUrl() =>
        new(Environment.GetEnvironmentVariable("ORLEANSFLOW_API_URL") is { Length: > 0 } url ? url : "http://127.0.0.1:4200/api");
}
