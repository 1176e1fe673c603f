using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OrleansFlow.Cli.Commands;

/// <summary>Gives every number, UUID and choice in a command tree a parser whose error is one plain line naming the option
/// and the kind of value it wants (<c>--limit: 'abc' is not a whole number</c>). System.CommandLine's own message names
/// the .NET type (<c>System.Nullable`1[System.Int32]</c>), which means nothing to the user.</summary>
internal static class PlainParseErrors
{
    private delegate bool TryParse<T>(string text, out T value);

    /// <summary>Installs the parsers on every option and argument of <paramref name="command"/> and of its subcommands. An
    /// option or argument that already has a parser keeps it.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
        {
            Apply(option, option.Name);
        }

        foreach (var argument in command.Arguments)
        {
            Apply(argument, $"<{argument.Name}>");
        }

        foreach (var subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    /// <summary>Accepts only <paramref name="values"/>, in any case, and gives the value as spelled in the list; anything else
    /// is an error naming the choices. Completions offer the choices.</summary>
    public static Option<string> OneOf(this Option<string> option, params string[] values)
    {
        option.CustomParser = result =>
        {
            var text = Last(result);
            var match = values.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                result.AddError($"{option.Name}: '{text}' is not one of {string.Join(", ", values)}.");
            }

            return match ?? values[0];
        };
        option.CompletionSources.Add(values);
        return option;
    }

    private static void Apply(Symbol symbol, string name)
    {
        switch (symbol)
        {
            case Option<int> { CustomParser: null } option:
                option.CustomParser = result => Parse<int>(result, name, "a whole number", TryInt);
                break;
            case Option<int?> { CustomParser: null } option:
                option.CustomParser = result => Parse<int>(result, name, "a whole number", TryInt);
                break;
            case Option<double> { CustomParser: null } option:
                option.CustomParser = result => Parse<double>(result, name, "a number", TryDouble);
                break;
            case Option<double?> { CustomParser: null } option:
                option.CustomParser = result => Parse<double>(result, name, "a number", TryDouble);
                break;
            case Argument<int> { CustomParser: null } argument:
                argument.CustomParser = result => Parse<int>(result, name, "a whole number", TryInt);
                break;
            case Option<Guid?> { CustomParser: null } option:
                option.CustomParser = result => Parse<Guid>(result, name, "a UUID", Guid.TryParse);
                break;
            case Argument<Guid> { CustomParser: null } argument:
                argument.CustomParser = result => Parse<Guid>(result, name, "a UUID", Guid.TryParse);
                break;
        }
    }

    private static T Parse<T>(ArgumentResult result, string name, string kind, TryParse<T> parse)
        where T : struct
    {
        var text = Last(result);
        if (parse(text, out var value))
        {
            return value;
        }

        result.AddError($"{name}: '{text}' is not {kind}.");
        return default;
    }

    /// <summary>The value given (the last one when the option was repeated; System.CommandLine reports the repeat itself).</summary>
    private static string Last(ArgumentResult result) => result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;

    private static bool TryInt(string text, out int value) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static bool TryDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
