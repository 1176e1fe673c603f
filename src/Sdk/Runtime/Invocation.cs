namespace OrleansFlow.Runtime;

/// <summary>Runs a body with an optional timeout.</summary>
internal static class Invocation
{
    /// <summary>Runs <paramref name="body"/> in place (so breakpoints and stacks read naturally) or, with a timeout, on the
    /// thread pool, giving up after <paramref name="timeoutSeconds"/>: <paramref name="timeout"/> is then cancelled and a
    /// <see cref="RunTimedOutException"/> thrown (a body that ignores the token goes on in the background).</summary>
    public static async Task<T> InvokeAsync<T>(Func<Task<T>> body, double timeoutSeconds, string kind, CancellationTokenSource timeout)
    {
        if (timeoutSeconds <= 0)
        {
            return await body().ConfigureAwait(false);
        }

        var work = Task.Run(body);
        try
        {
            return await work.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds)).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!work.IsCompleted)
        {
            await timeout.CancelAsync().ConfigureAwait(false);
            _ = work.ContinueWith(static t => t.Exception, TaskScheduler.Default);
            throw new RunTimedOutException($"{kind} run exceeded timeout of {timeoutSeconds:0.0##} seconds");
        }
    }

    /// <summary>The arguments of a call by parameter name.</summary>
    public static Dictionary<string, object?> Arguments(string[] names, object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(arguments);
        if (names.Length != arguments.Length)
        {
            throw new ArgumentException($"{names.Length} parameter names but {arguments.Length} arguments.", nameof(arguments));
        }

        var result = new Dictionary<string, object?>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            result[names[i]] = arguments[i];
        }

        return result;
    }
}
