using System.Text;
using Microsoft.Extensions.Logging;

namespace OrleansFlow.Client.Logging;

/// <summary>A <see cref="TextWriter"/> whose lines become information entries of an <see cref="ILogger"/>: the hosted
/// services (a worker, the serve loop) hand it to code that reports progress as text, so that it goes to the host's
/// logging instead of the console. A line ends at <c>\n</c> (a <c>\r</c> is dropped); <see cref="Flush"/> logs a
/// partial line. Thread-safe.</summary>
/// <param name="logger">Where the lines go.</param>
public sealed class LoggerWriter(ILogger logger) : TextWriter
{
    private readonly StringBuilder _line = new();

    /// <summary>UTF-8 (the lines are logged as strings, so the encoding only names what a caller may assume).</summary>
    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Adds <paramref name="value"/> to the current line; <c>\n</c> logs the line.</summary>
    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                Flush();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }

    /// <summary>Logs the current line, if it has any text.</summary>
    public override void Flush()
    {
        lock (_line)
        {
            if (_line.Length > 0)
            {
                logger.LogInformation("{Line}", _line.ToString());
                _line.Clear();
            }
        }
    }
}
