using Microsoft.Extensions.Logging;
using OrleansFlow.Client;

namespace OrleansFlow.Logging;

/// <summary>An <see cref="ILogger"/> whose lines become logs of one flow run (and task run), shipped in batches to the
/// server. Levels map to Python's numbers as Prefect stores them (Information = 20, Warning = 30, Error = 40, ...).</summary>
internal sealed class RunLogger : ILogger
{
    private readonly LogShipper _shipper;
    private readonly string _name;
    private readonly Guid _flowRunId;
    private readonly Guid? _taskRunId;

    public RunLogger(LogShipper shipper, string name, Guid flowRunId, Guid? taskRunId)
    {
        _shipper = shipper;
        _name = name;
        _flowRunId = flowRunId;
        _taskRunId = taskRunId;
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        if (exception is not null)
        {
            message = message.Length == 0 ? exception.ToString() : message + Environment.NewLine + exception;
        }

        _shipper.Enqueue(new LogCreate(_name, PythonLevel(logLevel), message, DateTimeOffset.UtcNow, _flowRunId, _taskRunId));
    }

    /// <summary>Python's logging level numbers, which Prefect stores and filters on.</summary>
    public static int PythonLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => 5,
        LogLevel.Debug => 10,
        LogLevel.Information => 20,
        LogLevel.Warning => 30,
        LogLevel.Error => 40,
        LogLevel.Critical => 50,
        _ => 0,
    };
}
