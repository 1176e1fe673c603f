// A task that fails twice and succeeds on its third attempt: the server answers each failure with AwaitingRetry and
// the SDK runs the task again after the delay (0.5 s, then 1 s).
using OrleansFlow;

Console.WriteLine(Retries.RetryFlow());

public static class Retries
{
    private static int _attempts;

    [FlowTask(Retries = 3, RetryDelaysSeconds = [0.5, 1], RetryJitterFactor = 0.1)]
    public static string Flaky()
    {
        var attempt = ++_attempts;
        Console.WriteLine($"attempt {attempt}");
        return attempt < 3 ? throw new InvalidOperationException($"transient failure on attempt {attempt}") : $"succeeded on attempt {attempt}";
    }

    [Flow(Name = "task-retries")]
    public static string RetryFlow() => Flaky();
}
