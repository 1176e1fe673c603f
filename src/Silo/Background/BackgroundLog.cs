using Microsoft.Extensions.Logging;

namespace OrleansFlow.Silo.Background;

/// <summary>What the background processes log when one object fails a tick: the tick skips it and goes on.</summary>
internal static partial class BackgroundLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Background process {Process} skipped {Kind} {Id}, which failed")]
    public static partial void Skipped(ILogger logger, Exception exception, string process, string kind, Guid id);
}
