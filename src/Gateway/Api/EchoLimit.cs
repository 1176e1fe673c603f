using System.Globalization;
using System.Text;

namespace OrleansFlow.Gateway.Api;

/// <summary>Keeps what a 422 repeats of the request small: a message quotes the offending value (<c>Name '…' contains an
/// invalid character</c>), and a value can be megabytes long. A quoted value past <see cref="MaxValueLength"/> characters
/// is cut there, marked with an ellipsis and followed by how long it was; a location part (a JSON key) past that length
/// is cut the same way; a message still past <see cref="MaxMessageLength"/> characters is cut, saying so.</summary>
internal static class EchoLimit
{
    /// <summary>The most characters of a quoted value a message keeps.</summary>
    public const int MaxValueLength = 200;

    /// <summary>The most characters a message keeps in all.</summary>
    public const int MaxMessageLength = 1000;

    /// <summary><paramref name="errors"/> with their quoted values, location parts and messages cut to size.</summary>
    public static IReadOnlyList<ApiError> Apply(IReadOnlyList<ApiError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Any(e => e.Msg.Length > MaxValueLength || e.Loc.Any(l => l is string { Length: > MaxValueLength }))
            ? [.. errors.Select(e => e with { Loc = [.. e.Loc.Select(l => l is string { Length: > MaxValueLength } s ? Value(s) : l)], Msg = Message(e.Msg) })]
            : errors;
    }

    /// <summary><paramref name="message"/> with every quoted span ('…' or "…") longer than <see cref="MaxValueLength"/>
    /// cut, then the whole cut to <see cref="MaxMessageLength"/>.</summary>
    public static string Message(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length <= MaxValueLength)
        {
            return message;
        }

        var text = new StringBuilder(Math.Min(message.Length, MaxMessageLength + 100));
        var i = 0;
        while (i < message.Length)
        {
            var c = message[i];
            if (c is not ('\'' or '"'))
            {
                text.Append(c);
                i++;
                continue;
            }

            var close = message.IndexOf(c, i + 1);
            var end = close < 0 ? message.Length : close;
            var quoted = message.AsSpan(i + 1, end - i - 1);
            text.Append(c);
            if (quoted.Length > MaxValueLength)
            {
                text.Append(quoted[..MaxValueLength]).Append('…');
                if (close >= 0)
                {
                    text.Append(c);
                }

                text.Append(string.Create(CultureInfo.InvariantCulture, $" (shown cut to {MaxValueLength} of {quoted.Length} characters)"));
            }
            else
            {
                text.Append(quoted);
                if (close >= 0)
                {
                    text.Append(c);
                }
            }

            i = end + 1;
        }

        return text.Length <= MaxMessageLength
            ? text.ToString()
            : string.Create(CultureInfo.InvariantCulture, $"{text.ToString(0, MaxMessageLength)}… (message cut to {MaxMessageLength} of {text.Length} characters)");
    }

    private static string Value(string value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value[..MaxValueLength]}… (shown cut to {MaxValueLength} of {value.Length} characters)");
}
