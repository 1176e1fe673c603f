using System.Text;
using Microsoft.Extensions.Logging;

namespace OrleansFlow.Worker.Hosting;

/// <summary>A <see cref="TextWriter"/> whose lines become log entries (what the worker writes goes to the host's
/// logging instead of the console).</summary>
internal sealed class LoggerWriter(ILogger logger) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

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
