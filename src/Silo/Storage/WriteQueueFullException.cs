namespace OrleansFlow.Silo.Storage;

/// <summary>The database's write queue is full: the write was not queued (nothing of it happened). The gateway answers
/// 429 with <c>Retry-After</c>; a caller may try again shortly.</summary>
public sealed class WriteQueueFullException : Exception
{
    /// <summary>A refusal at <paramref name="capacity"/> queued writes.</summary>
    public WriteQueueFullException(int capacity)
        : base($"The database write queue is full ({capacity} writes waiting); try again shortly.") => Capacity = capacity;

    /// <summary>A refusal with a message of the caller's.</summary>
    public WriteQueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>A refusal with a message and a cause.</summary>
    public WriteQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A refusal without detail.</summary>
    public WriteQueueFullException()
    {
    }

    /// <summary>The queue's capacity.</summary>
    public int Capacity { get; }
}
