namespace OrleansFlow.Silo.Notifications.Templates;

// Moving through the tokens of the current segment.
internal sealed partial class TemplateParser
{
    private void Begin(Segment segment)
    {
        _tokens = segment.Tokens;
        _token = 0;
        if (segment.Kind == SegmentKind.Output && Peek().Kind == TokenKind.End)
        {
            throw _lexer.Error("Empty expression '{{ }}'", segment.Offset);
        }
    }

    private Token Peek() => _tokens[_token];

    private Token PeekAt(int ahead) => _token + ahead < _tokens.Count ? _tokens[_token + ahead] : _tokens[^1];

    private Token Next()
    {
        var token = _tokens[_token];
        if (token.Kind != TokenKind.End)
        {
            _token++;
        }

        return token;
    }

    private bool Accept(string op)
    {
        if (Peek() is { Kind: TokenKind.Operator } token && token.Text == op)
        {
            _token++;
            return true;
        }

        return false;
    }

    private void Expect(string op)
    {
        if (!Accept(op))
        {
            throw Unexpected(Peek(), $"'{op}'");
        }
    }

    private string ExpectName() => Peek().Kind == TokenKind.Name ? Next().Text : throw Unexpected(Peek(), "a name");

    private void ExpectEnd()
    {
        if (Peek().Kind != TokenKind.End)
        {
            throw Unexpected(Peek(), "the end of the tag");
        }
    }

    private TemplateSyntaxException Unexpected(Token token, string expected) =>
        _lexer.Error(token.Kind == TokenKind.End ? $"Expected {expected}, found the end of the tag" : $"Expected {expected}, found '{token.Text}'", token.Offset);

    private SourcePosition Position(Token token) => _lexer.PositionOf(token.Offset);
}
