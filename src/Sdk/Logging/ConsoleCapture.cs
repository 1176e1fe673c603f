using System.Text;
using Microsoft.Extensions.Logging;

namespace OrleansFlow.Logging;

/// <summary>Captures <see cref="Console.Out"/> lines written inside a run whose <c>LogPrints</c> is on and sends them to
/// that run's logs, while still writing them to the real console. Which run a line belongs to follows the async flow
/// (an <see cref="AsyncLocal{T}"/>), so concurrent tasks each get their own lines.</summary>
internal sealed class ConsoleCapture : TextWriter
{
    private static readonly AsyncLocal<Target?> Current = new();
    private static readonly Lock InstallLock = new();
    private static bool _installed;

    private readonly TextWriter _inner;

    private ConsoleCapture(TextWriter inner) => _inner = inner;

    public override Encoding Encoding => _inner.Encoding;

    /// <summary>Replaces <see cref="Console.Out"/> once per process.</summary>
    public static void Install()
    {
        lock (InstallLock)
        {
            if (!_installed)
            {
                Console.SetOut(TextWriter.Synchronized(new ConsoleCapture(Console.Out)));
                _installed = true;
            }
        }
    }

    /// <summary>Sends the lines printed until the returned scope is disposed to <paramref name="logger"/> (or stops capturing
    /// when <paramref name="logger"/> is null).</summary>
    public static Scope Capture(ILogger? logger)
    {
        var previous = Current.Value;
        Current.Value = logger is null ? null : new Target(logger);
        return new Scope(previous);
    }

    public override void Write(char value)
    {
        _inner.Write(value);
        Current.Value?.Append(value);
    }

    public override void Write(string? value)
    {
        _inner.Write(value);
        if (value is not null && Current.Value is { } target)
        {
            foreach (var c in value)
            {
                target.Append(c);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        WriteLine();
    }

    public override void Flush() => _inner.Flush();

    /// <summary>Restores the capture of the enclosing run; sends a last unfinished line.</summary>
    public readonly struct Scope(Target? previous) : IDisposable
    {
        public void Dispose()
        {
            Current.Value?.Complete();
            Current.Value = previous;
        }
    }

    /// <summary>The logger of one run and the line being written.</summary>
    internal sealed class Target(ILogger logger)
    {
        private readonly StringBuilder _line = new();

        public void Append(char c)
        {
            lock (_line)
            {
                if (c == '\n')
                {
                    Emit();
                }
                else if (c != '\r')
                {
                    _line.Append(c);
                }
            }
        }

        public void Complete()
        {
            lock (_line)
            {
                if (_line.Length > 0)
                {
                    Emit();
                }
            }
        }

        private void Emit()
        {
            var text = _line.ToString();
            _line.Clear();
#pragma warning disable CA1848, CA2254 // A printed line is the message itself, not a template.
            logger.Log(LogLevel.Information, default, text, null, static (s, _) => s);
#pragma warning restore CA1848, CA2254
        }
    }
}
