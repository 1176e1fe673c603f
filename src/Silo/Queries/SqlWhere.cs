using System.Globalization;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Queries;

/// <summary>Collects WHERE clauses and their parameters for a query built at run time. Values never go into the text.</summary>
internal sealed class SqlWhere(SqlDialect dialect)
{
    /// <summary>The most values one filter may bind: well under SQLite's and PostgreSQL's limits on a statement.</summary>
    internal const int MaxParameters = 5000;

    private readonly List<(string Name, object? Value, bool IsTags)> _parameters = [];

    public SqlDialect Dialect { get; } = dialect;

    public string Param(object? value)
    {
        if (_parameters.Count >= MaxParameters)
        {
            throw new FilterException([], string.Create(CultureInfo.InvariantCulture, $"the filter is too large: at most {MaxParameters} values in all"));
        }

        var name = "p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value, false));
        return "@" + name;
    }

    public string TagsParam(IReadOnlyList<string> tags)
    {
        var name = "p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, tags, true));
        return "@" + name;
    }

    public SqlCommand Bind(SqlCommand command)
    {
        foreach (var (name, value, isTags) in _parameters)
        {
            if (isTags)
            {
                command.AddTags(name, (IReadOnlyList<string>)value!);
            }
            else
            {
                command.Add(name, value);
            }
        }

        return command;
    }

    /// <summary>Joins clauses with AND (or OR); an empty list is always true.</summary>
    public static string Join(IReadOnlyList<string> clauses, bool any = false) =>
        clauses.Count == 0 ? "1=1" : "(" + string.Join(any ? " OR " : " AND ", clauses) + ")";
}
