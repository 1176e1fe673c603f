namespace OrleansFlow.Serving;

/// <summary>The cancellation token of a flow run served in-process, handed to the run's <see cref="FlowRunContext"/>
/// (which reads it when it is created, in the async flow that starts the run).</summary>
internal static class RunCancellation
{
    private static readonly AsyncLocal<CancellationToken> Ambient = new();

    /// <summary>The token of the served run being started in this async flow; <see cref="CancellationToken.None"/> elsewhere.</summary>
    public static CancellationToken Current => Ambient.Value;

    /// <summary>Sets the token for the runs started next in the calling async flow.</summary>
    public static void Set(CancellationToken token) => Ambient.Value = token;
}
