using System.Text;

namespace OrleansFlow.Worker;

/// <summary>Splits a command line into arguments as a POSIX shell (and Python's <c>shlex.split</c>, which Prefect's process
/// worker uses) does: blanks separate, single quotes are literal, double quotes allow <c>\"</c> and <c>\\</c>, a backslash
/// outside quotes escapes the next character. No expansion of variables or globs.</summary>
public static class CommandLine
{
    /// <summary>The arguments of <paramref name="command"/>.</summary>
    /// <exception cref="FormatException">A quote is not closed.</exception>
    public static IReadOnlyList<string> Split(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var args = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\'')
            {
                var end = command.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new FormatException("Unclosed single quote in the command.");
                }

                current.Append(command, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                i++;
                for (; i < command.Length && command[i] != '"'; i++)
                {
                    if (command[i] == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }

                    current.Append(command[i]);
                }

                if (i >= command.Length)
                {
                    throw new FormatException("Unclosed double quote in the command.");
                }
            }
            else if (c == '\\' && i + 1 < command.Length)
            {
                current.Append(command[++i]);
            }
            else
            {
                current.Append(c);
            }
        }

        if (inWord)
        {
            args.Add(current.ToString());
        }

        return args;
    }
}
