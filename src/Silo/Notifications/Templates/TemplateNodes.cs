namespace OrleansFlow.Silo.Notifications.Templates;

/// <summary>A position in the template source, 1-based.</summary>
internal readonly record struct SourcePosition(int Line, int Column);

/// <summary>A statement of a parsed template.</summary>
internal abstract record TemplateNode;

/// <summary>Literal text, written as it is.</summary>
internal sealed record TextNode(string Text) : TemplateNode;

/// <summary><c>{{ expression }}</c>.</summary>
internal sealed record OutputNode(TemplateExpression Expression) : TemplateNode;

/// <summary><c>{% if %}…{% elif %}…{% else %}…{% endif %}</c>: the first branch whose condition is true, else
/// <see cref="Else"/>.</summary>
internal sealed record IfNode(IReadOnlyList<(TemplateExpression Condition, IReadOnlyList<TemplateNode> Body)> Branches,
    IReadOnlyList<TemplateNode> Else) : TemplateNode;

/// <summary><c>{% for a[, b] in expression %}…{% else %}…{% endfor %}</c>; <see cref="Else"/> renders when there is
/// nothing to iterate.</summary>
internal sealed record ForNode(IReadOnlyList<string> Targets, TemplateExpression Items, IReadOnlyList<TemplateNode> Body,
    IReadOnlyList<TemplateNode> Else, SourcePosition Position) : TemplateNode;

/// <summary><c>{% set name = expression %}</c>.</summary>
internal sealed record SetNode(string Name, TemplateExpression Value) : TemplateNode;

/// <summary>An expression inside a tag.</summary>
internal abstract record TemplateExpression(SourcePosition Position);

internal sealed record LiteralExpression(object? Value, SourcePosition Position) : TemplateExpression(Position);

internal sealed record NameExpression(string Name, SourcePosition Position) : TemplateExpression(Position);

/// <summary><c>target.name</c> (attribute, then item, as Jinja does).</summary>
internal sealed record AttributeExpression(TemplateExpression Target, string Name, SourcePosition Position) : TemplateExpression(Position);

/// <summary><c>target[key]</c>.</summary>
internal sealed record IndexExpression(TemplateExpression Target, TemplateExpression Key, SourcePosition Position) : TemplateExpression(Position);

internal sealed record ListExpression(IReadOnlyList<TemplateExpression> Items, SourcePosition Position) : TemplateExpression(Position);

internal sealed record DictExpression(IReadOnlyList<(TemplateExpression Key, TemplateExpression Value)> Items, SourcePosition Position)
    : TemplateExpression(Position);

/// <summary><c>target | name(args, key=value)</c>.</summary>
internal sealed record FilterExpression(TemplateExpression Target, string Name, IReadOnlyList<TemplateExpression> Args,
    IReadOnlyDictionary<string, TemplateExpression> Kwargs, SourcePosition Position) : TemplateExpression(Position);

/// <summary><c>target is [not] name</c>.</summary>
internal sealed record TestExpression(TemplateExpression Target, string Name, bool Negated, IReadOnlyList<TemplateExpression> Args,
    SourcePosition Position) : TemplateExpression(Position);

/// <summary>A call of one of the few allowed functions (<c>range</c>) or mapping methods (<c>items</c>, <c>keys</c>,
/// <c>values</c>, <c>get</c>).</summary>
internal sealed record CallExpression(TemplateExpression? Target, string Name, IReadOnlyList<TemplateExpression> Args, SourcePosition Position)
    : TemplateExpression(Position);

internal sealed record UnaryExpression(string Operator, TemplateExpression Operand, SourcePosition Position) : TemplateExpression(Position);

internal sealed record BinaryExpression(string Operator, TemplateExpression Left, TemplateExpression Right, SourcePosition Position)
    : TemplateExpression(Position);

/// <summary><c>then if condition else otherwise</c>.</summary>
internal sealed record ConditionalExpression(TemplateExpression Condition, TemplateExpression Then, TemplateExpression? Otherwise,
    SourcePosition Position) : TemplateExpression(Position);
