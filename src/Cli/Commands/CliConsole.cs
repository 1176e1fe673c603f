namespace OrleansFlow.Cli.Commands;

/// <summary>Where the client commands write and read, and how wide their tables may be. Injected so tests capture the
/// output and answer prompts.</summary>
/// <param name="Out">Results (tables, fields, JSON).</param>
/// <param name="Error">One-line error messages, and the questions a prompt asks.</param>
/// <param name="Width">The terminal width tables must fit in.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, int Width)
{
    /// <summary>Where a prompt reads its answer.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>Whether someone can answer a prompt: true only when standard input is a terminal. A script or a CI job
    /// (input redirected, or at end of file) is never asked, so it cannot wait forever for an answer.</summary>
    public bool Interactive { get; init; }

    /// <summary>The process console; the width comes from the terminal, <c>COLUMNS</c>, or 120 when output is redirected.</summary>
    public static CliConsole System => new(Console.Out, Console.Error, TerminalWidth()) { In = Console.In, Interactive = !Console.IsInputRedirected };

    private static int TerminalWidth()
    {
        if (!Console.IsOutputRedirected)
        {
            try
            {
                if (Console.WindowWidth > 0)
                {
                    return Console.WindowWidth;
                }
            }
            catch (IOException)
            {
                // No terminal after all: fall through to COLUMNS.
            }
        }

        return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : 120;
    }
}
