using System.CommandLine;
using System.CommandLine.Parsing;

namespace OrleansFlow.Cli.Commands;

/// <summary>Range checks on an option's or argument's value that run only once the value has converted: System.CommandLine
/// runs a validator even for a value it could not convert (<c>--limit abc</c>), and reading the value there throws
/// instead of letting the conversion's own error be reported.</summary>
internal static class CliChecks
{
    /// <summary>Adds <paramref name="error"/> when the converted value is not <paramref name="valid"/>.</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T?, bool> valid, string error)
    {
        option.Validators.Add(result => Check(result, () => result.GetValue(option), valid, error));
        return option;
    }

    /// <summary>Adds <paramref name="error"/> when the converted value is not <paramref name="valid"/>.</summary>
    public static Argument<T> Check<T>(this Argument<T> argument, Func<T?, bool> valid, string error)
    {
        argument.Validators.Add(result => Check(result, () => result.GetValue(argument), valid, error));
        return argument;
    }

    private static void Check<T>(SymbolResult result, Func<T?> read, Func<T?, bool> valid, string error)
    {
        T? value;
        try
        {
            value = read();
        }
        catch (InvalidOperationException)
        {
            // Not convertible: the parser has reported that already (PlainParseErrors: "--limit: 'abc' is not a whole number.").
            return;
        }

        if (!valid(value))
        {
            result.AddError(error);
        }
    }
}
