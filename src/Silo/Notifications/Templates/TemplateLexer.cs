using System.Globalization;
using System.Text;

namespace OrleansFlow.Silo.Notifications.Templates;

internal enum TokenKind
{
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

/// <summary>A token of an expression; <see cref="Offset"/> is its index in the template source.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, object? Value, int Offset);

internal enum SegmentKind
{
    Text,
    Output,
    Statement,
}

/// <summary>A piece of the template: literal text, or a tag's tokens (ending with an <see cref="TokenKind.End"/> token).</summary>
internal sealed record Segment(SegmentKind Kind, string Text, IReadOnlyList<Token> Tokens, int Offset);

/// <summary>Splits a template into text and tags as Jinja's lexer does: <c>{{ }}</c>, <c>{% %}</c>, <c>{# #}</c>, with
/// <c>-</c> on a delimiter stripping the whitespace (newlines included) on that side, and a single trailing newline
/// of the template dropped.</summary>
internal sealed class TemplateLexer(string source)
{
    private static readonly string[] Operators = ["==", "!=", "<=", ">=", "//", "<", ">", "+", "-", "*", "/", "%", "~", "|", ".", ",", ":", "(", ")", "[", "]", "{", "}", "="];

    private readonly int[] _lineStarts = LineStarts(source);

    public SourcePosition PositionOf(int offset)
    {
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new SourcePosition(line + 1, offset - _lineStarts[line] + 1);
    }

    public TemplateSyntaxException Error(string reason, int offset)
    {
        var position = PositionOf(offset);
        return new TemplateSyntaxException(reason, position.Line, position.Column);
    }

    public List<Segment> Tokenize()
    {
        var segments = new List<Segment>();
        var text = new StringBuilder();
        var textStart = 0;
        var stripNext = false;
        var i = 0;
        while (i < source.Length)
        {
            var open = NextOpening(i);
            if (open < 0)
            {
                text.Append(source, i, source.Length - i);
                break;
            }

            text.Append(source, i, open - i);
            var kind = source[open + 1];
            var stripBefore = open + 2 < source.Length && source[open + 2] == '-';
            FlushText(segments, text, textStart, stripNext, stripBefore);
            var bodyStart = open + 2 + (stripBefore ? 1 : 0);
            if (kind == '#')
            {
                var close = source.IndexOf("#}", bodyStart, StringComparison.Ordinal);
                if (close < 0)
                {
                    throw Error("Unclosed comment: '{#' has no '#}'", open);
                }

                stripNext = close > bodyStart && source[close - 1] == '-';
                i = close + 2;
            }
            else
            {
                var (tokens, end, stripAfter) = Expression(bodyStart, kind == '{' ? '}' : '%', open);
                segments.Add(new Segment(kind == '{' ? SegmentKind.Output : SegmentKind.Statement, "", tokens, open));
                stripNext = stripAfter;
                i = end;
            }

            textStart = i;
        }

        if (text.Length > 0 && text[^1] == '\n')
        {
            text.Length--;
            if (text.Length > 0 && text[^1] == '\r')
            {
                text.Length--;
            }
        }

        FlushText(segments, text, textStart, stripNext, false);
        return segments;
    }

    private int NextOpening(int from)
    {
        for (var i = source.IndexOf('{', from); i >= 0 && i + 1 < source.Length; i = source.IndexOf('{', i + 1))
        {
            if (source[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    private static void FlushText(List<Segment> segments, StringBuilder text, int offset, bool stripStart, bool stripEnd)
    {
        var value = text.ToString();
        text.Clear();
        if (stripStart)
        {
            value = value.TrimStart();
        }

        if (stripEnd)
        {
            value = value.TrimEnd();
        }

        if (value.Length > 0)
        {
            segments.Add(new Segment(SegmentKind.Text, value, [], offset));
        }
    }

    /// <summary>Tokens from <paramref name="start"/> up to the closing <c>}}</c> or <c>%}</c>.</summary>
    private (List<Token> Tokens, int End, bool StripAfter) Expression(int start, char closing, int open)
    {
        var tokens = new List<Token>();
        var i = start;
        while (true)
        {
            while (i < source.Length && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            if (i >= source.Length)
            {
                throw Error(closing == '}' ? "Unclosed expression: '{{' has no '}}'" : "Unclosed statement: '{%' has no '%}'", open);
            }

            var c = source[i];
            if (c == '-' && At(i + 1, closing, '}'))
            {
                tokens.Add(new Token(TokenKind.End, "", null, i));
                return (tokens, i + 3, true);
            }

            if (At(i, closing, '}'))
            {
                tokens.Add(new Token(TokenKind.End, "", null, i));
                return (tokens, i + 2, false);
            }

            if (char.IsLetter(c) || c == '_')
            {
                var s = i;
                while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, source[s..i], null, s));
            }
            else if (char.IsAsciiDigit(c))
            {
                var s = i;
                while (i < source.Length && (char.IsAsciiDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                var isFloat = i + 1 < source.Length && source[i] == '.' && char.IsAsciiDigit(source[i + 1]);
                if (isFloat)
                {
                    i++;
                    while (i < source.Length && char.IsAsciiDigit(source[i]))
                    {
                        i++;
                    }
                }

                var digits = source[s..i].Replace("_", "", StringComparison.Ordinal);
                tokens.Add(isFloat
                    ? new Token(TokenKind.Float, digits, double.Parse(digits, CultureInfo.InvariantCulture), s)
                    : long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                        ? new Token(TokenKind.Integer, digits, n, s)
                        : throw Error($"Integer literal '{digits}' is too large", s));
            }
            else if (c is '\'' or '"')
            {
                var (value, end) = StringLiteral(i);
                tokens.Add(new Token(TokenKind.String, source[i..end], value, i));
                i = end;
            }
            else if (Operators.FirstOrDefault(op => string.CompareOrdinal(source, i, op, 0, op.Length) == 0) is { } op)
            {
                tokens.Add(new Token(TokenKind.Operator, op, null, i));
                i += op.Length;
            }
            else
            {
                throw Error($"Unexpected character '{c}'", i);
            }
        }
    }

    private bool At(int i, char first, char second) => i + 1 < source.Length && source[i] == first && source[i + 1] == second;

    private (string Value, int End) StringLiteral(int start)
    {
        var quote = source[start];
        var value = new StringBuilder();
        for (var i = start + 1; i < source.Length; i++)
        {
            var c = source[i];
            if (c == quote)
            {
                return (value.ToString(), i + 1);
            }

            if (c == '\\' && i + 1 < source.Length)
            {
                i++;
                value.Append(source[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    var other => other,
                });
            }
            else
            {
                value.Append(c);
            }
        }

        throw Error("Unterminated string literal", start);
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return [.. starts];
    }
}
