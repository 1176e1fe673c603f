namespace OrleansFlow.Silo.Background;

/// <summary>One background process of the silo: a host calls <see cref="RunOnceAsync"/> in a loop.</summary>
public interface IBackgroundProcess
{
    /// <summary>The process's name (also the name of its lease).</summary>
    string Name { get; }

    /// <summary>The time between two ticks.</summary>
    TimeSpan Interval { get; }

    /// <summary>Runs one tick.</summary>
    /// <returns>How many things the tick changed (runs created, runs marked late...); 0 when it did nothing or another
    /// server holds the lease.</returns>
    Task<int> RunOnceAsync(CancellationToken cancellationToken = default);
}
