namespace OrleansFlow.Silo.Notifications.Templates;

// Expressions, by precedence from the conditional down to a primary, with filters, tests, attribute and
// item access and call arguments.
internal sealed partial class TemplateParser
{
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
}
