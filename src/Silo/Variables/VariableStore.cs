using System.Data.Common;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Variables;

/// <summary>Rows of <c>variables</c>.</summary>
internal static class VariableStore
{
    /// <summary>Inserts <paramref name="variable"/>; false when its name is taken.</summary>
    public static async Task<bool> InsertAsync(DbSession session, Variable variable, CancellationToken cancellationToken)
    {
        await using var command = session.Named("variables.insert")
            .Add("id", variable.Id).Add("name", variable.Name).Add("value", variable.Value)
            .AddTags("tags", variable.Tags).Add("now", variable.Created);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task<Variable?> GetAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("variables.by_id").Add("id", id);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Variable?> GetByNameAsync(DbSession session, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Named("variables.by_name").Add("name", name);
        return await command.FirstOrDefaultAsync(Map, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="variable"/>; false when another variable has its name.</summary>
    public static async Task<bool> UpdateAsync(DbSession session, Variable variable, CancellationToken cancellationToken)
    {
        await using var command = session.Named("variables.update")
            .Add("id", variable.Id).Add("name", variable.Name).Add("value", variable.Value)
            .AddTags("tags", variable.Tags).Add("now", variable.Updated);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task<bool> DeleteAsync(DbSession session, Guid id, CancellationToken cancellationToken)
    {
        await using var command = session.Named("variables.delete_by_id").Add("id", id);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public static async Task<bool> DeleteByNameAsync(DbSession session, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Named("variables.delete_by_name").Add("name", name);
        return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public static Variable Map(DbDataReader reader) => new()
    {
        Id = Rows.Guid(reader, 0),
        Name = reader.GetString(1),
        Value = reader.GetString(2),
        Tags = Rows.Tags(reader, 3),
        Created = Rows.Time(reader, 4),
        Updated = Rows.Time(reader, 5),
    };
}
