using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Tests.Storage;

/// <summary>Makes a group commit of known units on a database with one write lane: a unit holds the lane until the test
/// releases it, and the units queued meanwhile then run as one batch.</summary>
internal static class HeldLane
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Queues a unit that runs <paramref name="work"/> once the returned source is set, and returns once the lane
    /// runs it.</summary>
    public static async Task<(Task Committed, TaskCompletionSource Release)> HoldAsync(Database database, Func<DbSession, Task<int>> work)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var committed = database.WriteAsync(async session =>
        {
            started.SetResult();
            await release.Task;
            return await work(session);
        }, CancellationToken.None);
        await started.Task.WaitAsync(Deadline);
        return (committed, release);
    }

    /// <summary>Queues <paramref name="runs"/>.Length units of <paramref name="work"/> (given the unit's index), each
    /// counting its runs in <paramref name="runs"/>.</summary>
    public static List<Task<T>> Queue<T>(Database database, int[] runs, Func<DbSession, int, Task<T>> work) =>
        [.. Enumerable.Range(0, runs.Length).Select(i => database.WriteAsync(session =>
        {
            Interlocked.Increment(ref runs[i]);
            return work(session, i);
        }, CancellationToken.None))];
}
