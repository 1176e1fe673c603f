namespace OrleansFlow.Silo.Notifications.Templates;

/// <summary>Parses the segments of <see cref="TemplateLexer"/> into statements and expressions (Jinja's grammar, the
/// subset <see cref="Template"/> documents), checking the loop limits as it goes.</summary>
internal sealed class TemplateParser
{
    private static readonly HashSet<string> BlockEnds = ["elif", "else", "endif", "endfor"];
    private static readonly HashSet<string> Comparisons = ["==", "!=", "<", ">", "<=", ">="];
    private static readonly HashSet<string> Methods = ["items", "keys", "values", "get"];

    private readonly TemplateLexer _lexer;
    private readonly List<Segment> _segments;
    private readonly TemplateLimits _limits;
    private int _segment;
    private IReadOnlyList<Token> _tokens = [];
    private int _token;
    private int _loops;
    private int _loopDepth;
    private int _nesting;

    /// <summary>How deep blocks and expressions may nest, an expression's operators, filters and attribute accesses
    /// counting as levels (rendering recurses through them): enough for any real template, few enough that parsing and
    /// rendering never exhaust the stack.</summary>
    public const int MaxNesting = 100;

    public TemplateParser(TemplateLexer lexer, TemplateLimits limits)
    {
        _lexer = lexer;
        _segments = lexer.Tokenize();
        _limits = limits;
    }

    public IReadOnlyList<TemplateNode> Parse()
    {
        var (body, end) = Block(new HashSet<string>());
        if (end is not null)
        {
            throw _lexer.Error($"Unexpected '{end}': no block is open", _segments[_segment - 1].Offset);
        }

        return body;
    }

    /// <summary>Nodes up to one of <paramref name="ends"/> (returned, with the tag's tokens current) or to the end of the
    /// template (null).</summary>
    private (List<TemplateNode> Body, string? End) Block(IReadOnlySet<string> ends)
    {
        var body = new List<TemplateNode>();
        while (_segment < _segments.Count)
        {
            var segment = _segments[_segment++];
            switch (segment.Kind)
            {
                case SegmentKind.Text:
                    body.Add(new TextNode(segment.Text));
                    break;
                case SegmentKind.Output:
                    Begin(segment);
                    body.Add(new OutputNode(Expression()));
                    ExpectEnd();
                    break;
                default:
                    Begin(segment);
                    var keyword = Peek().Kind == TokenKind.Name ? Next().Text : throw Unexpected(Peek(), "a statement name");
                    if (BlockEnds.Contains(keyword))
                    {
                        if (!ends.Contains(keyword))
                        {
                            throw _lexer.Error(ends.Count == 0 ? $"Unexpected '{keyword}': no block is open"
                                : $"Unexpected '{keyword}': expected {string.Join(" or ", ends.Select(e => $"'{e}'"))}", segment.Offset);
                        }

                        return (body, keyword);
                    }

                    body.Add(keyword switch
                    {
                        "if" => If(segment),
                        "for" => For(segment),
                        "set" => Set(),
                        _ => throw _lexer.Error($"Unknown statement '{keyword}' (supported: if, elif, else, endif, for, endfor, set)", segment.Offset),
                    });
                    break;
            }
        }

        return (body, null);
    }

    private IfNode If(Segment opening)
    {
        Enter(opening.Offset);
        var node = IfBody(opening);
        _nesting--;
        return node;
    }

    private IfNode IfBody(Segment opening)
    {
        var branches = new List<(TemplateExpression, IReadOnlyList<TemplateNode>)>();
        var condition = Expression();
        ExpectEnd();
        while (true)
        {
            var (body, end) = Block(new HashSet<string> { "elif", "else", "endif" });
            branches.Add((condition, body));
            switch (end)
            {
                case null:
                    throw _lexer.Error("Unclosed 'if': missing '{% endif %}'", opening.Offset);
                case "elif":
                    condition = Expression();
                    ExpectEnd();
                    continue;
                case "else":
                    ExpectEnd();
                    var (otherwise, last) = Block(new HashSet<string> { "endif" });
                    if (last is null)
                    {
                        throw _lexer.Error("Unclosed 'if': missing '{% endif %}'", opening.Offset);
                    }

                    ExpectEnd();
                    return new IfNode(branches, otherwise);
                default:
                    ExpectEnd();
                    return new IfNode(branches, []);
            }
        }
    }

    private ForNode For(Segment opening)
    {
        var position = _lexer.PositionOf(opening.Offset);
        if (++_loops > _limits.MaxLoops)
        {
            throw new TemplateSyntaxException($"Too many for loops: a template may hold at most {_limits.MaxLoops}", position.Line, position.Column);
        }

        Enter(opening.Offset);
        if (++_loopDepth > _limits.MaxLoopDepth)
        {
            throw new TemplateSyntaxException($"For loops nested too deep: at most {_limits.MaxLoopDepth} levels", position.Line, position.Column);
        }

        var targets = new List<string> { ExpectName() };
        while (Accept(","))
        {
            targets.Add(ExpectName());
        }

        if (!(Peek() is { Kind: TokenKind.Name, Text: "in" }))
        {
            throw Unexpected(Peek(), "'in'");
        }

        Next();
        var items = Expression();
        ExpectEnd();
        var (body, end) = Block(new HashSet<string> { "else", "endfor" });
        List<TemplateNode> otherwise = [];
        if (end == "else")
        {
            ExpectEnd();
            (otherwise, end) = Block(new HashSet<string> { "endfor" });
        }

        if (end is null)
        {
            throw _lexer.Error("Unclosed 'for': missing '{% endfor %}'", opening.Offset);
        }

        ExpectEnd();
        _loopDepth--;
        _nesting--;
        return new ForNode(targets, items, body, otherwise, position);
    }

    private SetNode Set()
    {
        var name = ExpectName();
        Expect("=");
        var value = Expression();
        ExpectEnd();
        return new SetNode(name, value);
    }

    private TemplateExpression Expression()
    {
        var saved = _nesting;
        Enter(Peek().Offset);
        try
        {
            return ConditionalOrOr();
        }
        finally
        {
            _nesting = saved;
        }
    }

    private void Enter(int offset)
    {
        if (++_nesting > MaxNesting)
        {
            throw _lexer.Error($"Nested too deep: at most {MaxNesting} levels of blocks and expressions", offset);
        }
    }

    private TemplateExpression ConditionalOrOr()
    {
        var value = Or();
        if (Peek() is { Kind: TokenKind.Name, Text: "if" } token)
        {
            Next();
            var condition = Or();
            TemplateExpression? otherwise = null;
            if (Peek() is { Kind: TokenKind.Name, Text: "else" })
            {
                Next();
                otherwise = Expression();
            }

            return new ConditionalExpression(condition, value, otherwise, Position(token));
        }

        return value;
    }

    private TemplateExpression Or()
    {
        var left = And();
        while (Peek() is { Kind: TokenKind.Name, Text: "or" } token)
        {
            Next();
            Enter(token.Offset);
            left = new BinaryExpression("or", left, And(), Position(token));
        }

        return left;
    }

    private TemplateExpression And()
    {
        var left = Not();
        while (Peek() is { Kind: TokenKind.Name, Text: "and" } token)
        {
            Next();
            Enter(token.Offset);
            left = new BinaryExpression("and", left, Not(), Position(token));
        }

        return left;
    }

    private TemplateExpression Not()
    {
        if (Peek() is { Kind: TokenKind.Name, Text: "not" } token)
        {
            Next();
            Enter(token.Offset);
            var operand = Not();
            _nesting--;
            return new UnaryExpression("not", operand, Position(token));
        }

        return Compare();
    }

    private TemplateExpression Compare()
    {
        var left = Concat();
        while (true)
        {
            var token = Peek();
            if (token.Kind is TokenKind.Operator or TokenKind.Name && (Comparisons.Contains(token.Text) || token.Text is "in" or "not"))
            {
                Enter(token.Offset);
            }

            if (token.Kind == TokenKind.Operator && Comparisons.Contains(token.Text))
            {
                Next();
                left = new BinaryExpression(token.Text, left, Concat(), Position(token));
            }
            else if (token is { Kind: TokenKind.Name, Text: "in" })
            {
                Next();
                left = new BinaryExpression("in", left, Concat(), Position(token));
            }
            else if (token is { Kind: TokenKind.Name, Text: "not" } && PeekAt(1) is { Kind: TokenKind.Name, Text: "in" })
            {
                Next();
                Next();
                left = new UnaryExpression("not", new BinaryExpression("in", left, Concat(), Position(token)), Position(token));
            }
            else
            {
                return left;
            }
        }
    }

    private TemplateExpression Concat()
    {
        var left = Additive();
        while (Peek() is { Kind: TokenKind.Operator, Text: "~" } token)
        {
            Next();
            Enter(token.Offset);
            left = new BinaryExpression("~", left, Additive(), Position(token));
        }

        return left;
    }

    private TemplateExpression Additive()
    {
        var left = Multiplicative();
        while (Peek() is { Kind: TokenKind.Operator, Text: "+" or "-" } token)
        {
            Next();
            Enter(token.Offset);
            left = new BinaryExpression(token.Text, left, Multiplicative(), Position(token));
        }

        return left;
    }

    private TemplateExpression Multiplicative()
    {
        var left = Unary();
        while (Peek() is { Kind: TokenKind.Operator, Text: "*" or "/" or "//" or "%" } token)
        {
            Next();
            Enter(token.Offset);
            left = new BinaryExpression(token.Text, left, Unary(), Position(token));
        }

        return left;
    }

    private TemplateExpression Unary()
    {
        if (Peek() is { Kind: TokenKind.Operator, Text: "-" or "+" } token)
        {
            Next();
            Enter(token.Offset);
            var operand = Unary();
            _nesting--;
            return new UnaryExpression(token.Text, operand, Position(token));
        }

        return FiltersAndTests(Postfix(Primary()));
    }

    private TemplateExpression FiltersAndTests(TemplateExpression target)
    {
        while (true)
        {
            var token = Peek();
            if (token is { Kind: TokenKind.Operator, Text: "|" })
            {
                Next();
                Enter(token.Offset);
                var nameToken = Peek();
                var name = ExpectName();
                if (!TemplateFilters.Exists(name))
                {
                    throw _lexer.Error($"Unknown filter '{name}'", nameToken.Offset);
                }

                var (args, kwargs) = Peek() is { Kind: TokenKind.Operator, Text: "(" } ? Arguments() : ([], new Dictionary<string, TemplateExpression>());
                target = new FilterExpression(target, name, args, kwargs, Position(nameToken));
            }
            else if (token is { Kind: TokenKind.Name, Text: "is" })
            {
                Next();
                Enter(token.Offset);
                var negated = Peek() is { Kind: TokenKind.Name, Text: "not" } && Next().Kind == TokenKind.Name;
                var nameToken = Peek();
                var name = ExpectName();
                if (!TemplateFilters.TestExists(name))
                {
                    throw _lexer.Error($"Unknown test '{name}'", nameToken.Offset);
                }

                List<TemplateExpression> args = [];
                if (Peek() is { Kind: TokenKind.Operator, Text: "(" })
                {
                    args = Arguments().Args;
                }
                else if (Peek().Kind is TokenKind.String or TokenKind.Integer or TokenKind.Float)
                {
                    args = [Primary()];
                }

                target = new TestExpression(target, name, negated, args, Position(nameToken));
            }
            else
            {
                return target;
            }
        }
    }

    private TemplateExpression Postfix(TemplateExpression target)
    {
        while (true)
        {
            var token = Peek();
            if (token is { Kind: TokenKind.Operator, Text: "." })
            {
                Next();
                Enter(token.Offset);
                var member = Next();
                if (member.Kind is not (TokenKind.Name or TokenKind.Integer))
                {
                    throw Unexpected(member, "an attribute name");
                }

                if (Peek() is { Kind: TokenKind.Operator, Text: "(" })
                {
                    if (!Methods.Contains(member.Text))
                    {
                        throw _lexer.Error($"Method '{member.Text}' cannot be called (supported: items(), keys(), values(), get())", member.Offset);
                    }

                    target = new CallExpression(target, member.Text, Arguments().Args, Position(member));
                }
                else
                {
                    target = new AttributeExpression(target, member.Text, Position(member));
                }
            }
            else if (token is { Kind: TokenKind.Operator, Text: "[" })
            {
                Next();
                Enter(token.Offset);
                var key = Expression();
                Expect("]");
                target = new IndexExpression(target, key, Position(token));
            }
            else
            {
                return target;
            }
        }
    }

    private TemplateExpression Primary()
    {
        var token = Next();
        var position = Position(token);
        switch (token.Kind)
        {
            case TokenKind.String:
                var text = (string)token.Value!;
                while (Peek().Kind == TokenKind.String)
                {
                    text += (string)Next().Value!;
                }

                return new LiteralExpression(text, position);
            case TokenKind.Integer:
            case TokenKind.Float:
                return new LiteralExpression(token.Value, position);
            case TokenKind.Name:
                switch (token.Text)
                {
                    case "true" or "True":
                        return new LiteralExpression(true, position);
                    case "false" or "False":
                        return new LiteralExpression(false, position);
                    case "none" or "None":
                        return new LiteralExpression(null, position);
                }

                if (Peek() is { Kind: TokenKind.Operator, Text: "(" })
                {
                    if (token.Text != "range")
                    {
                        throw _lexer.Error($"Function '{token.Text}' cannot be called (supported: range())", token.Offset);
                    }

                    return new CallExpression(null, token.Text, Arguments().Args, position);
                }

                return new NameExpression(token.Text, position);
            case TokenKind.Operator when token.Text == "(":
                var inner = Expression();
                Expect(")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                var items = new List<TemplateExpression>();
                while (!Accept("]"))
                {
                    items.Add(Expression());
                    if (!Accept(","))
                    {
                        Expect("]");
                        break;
                    }
                }

                return new ListExpression(items, position);
            case TokenKind.Operator when token.Text == "{":
                var pairs = new List<(TemplateExpression, TemplateExpression)>();
                while (!Accept("}"))
                {
                    var key = Expression();
                    Expect(":");
                    pairs.Add((key, Expression()));
                    if (!Accept(","))
                    {
                        Expect("}");
                        break;
                    }
                }

                return new DictExpression(pairs, position);
            default:
                throw Unexpected(token, "an expression");
        }
    }

    private (List<TemplateExpression> Args, Dictionary<string, TemplateExpression> Kwargs) Arguments()
    {
        Expect("(");
        var args = new List<TemplateExpression>();
        var kwargs = new Dictionary<string, TemplateExpression>(StringComparer.Ordinal);
        while (!Accept(")"))
        {
            if (Peek().Kind == TokenKind.Name && PeekAt(1) is { Kind: TokenKind.Operator, Text: "=" })
            {
                var name = Next().Text;
                Next();
                kwargs[name] = Expression();
            }
            else if (kwargs.Count > 0)
            {
                throw Unexpected(Peek(), "a keyword argument (positional arguments come first)");
            }
            else
            {
                args.Add(Expression());
            }

            if (!Accept(","))
            {
                Expect(")");
                break;
            }
        }

        return (args, kwargs);
    }

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
