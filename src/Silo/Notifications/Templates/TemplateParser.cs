namespace OrleansFlow.Silo.Notifications.Templates;

/// <summary>Parses the segments of <see cref="TemplateLexer"/> into statements and expressions (Jinja's grammar, the
/// subset <see cref="Template"/> documents), checking the loop limits as it goes.</summary>
internal sealed partial class TemplateParser
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
}
