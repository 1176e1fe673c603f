using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using OrleansFlow.Grains.Json;

namespace OrleansFlow.Silo.Storage;

/// <summary>Reads column values stored by <see cref="SqlCommand"/> in either dialect.</summary>
internal static class Rows
{
    public static Guid Guid(DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) switch
        {
            Guid g => g,
            string s => System.Guid.Parse(s),
            var other => throw new InvalidCastException($"Cannot read {other.GetType()} as a Guid."),
        };

    public static Guid? NullableGuid(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Guid(reader, ordinal);

    public static DateTimeOffset Time(DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) switch
        {
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            DateTimeOffset d => d.ToUniversalTime(),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            var other => throw new InvalidCastException($"Cannot read {other.GetType()} as a time."),
        };

    public static DateTimeOffset? NullableTime(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    public static string? String(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static T Json<T>(DbDataReader reader, int ordinal) =>
        JsonSerializer.Deserialize<T>(reader.GetString(ordinal), StorageJson.Options)
        ?? throw new InvalidDataException($"Column {ordinal} holds JSON null where a {typeof(T).Name} was expected.");

    public static IReadOnlyList<string> Tags(DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) switch
        {
            string[] array => array,
            string json => JsonSerializer.Deserialize<string[]>(json, OrleansFlowJson.Options) ?? [],
            DBNull => [],
            var other => throw new InvalidCastException($"Cannot read {other.GetType()} as tags."),
        };
}
