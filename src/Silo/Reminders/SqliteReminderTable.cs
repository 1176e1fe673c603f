using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Reminders;

/// <summary>Orleans' reminder table kept in the SQLite database (<c>orleans_reminders</c>, migration
/// <c>0014_reminders</c>), through the runtime's <see cref="Database"/>: writes go through its single writer, reads use
/// its read connections. A row's ETag is its <c>version</c>, moved on by every upsert; a remove names the version it
/// read and removes nothing when the row moved on meanwhile. Rows are kept under the Orleans service id, so every silo
/// on one file (each its own cluster on SQLite) sees the same reminders.</summary>
/// <param name="silo">The runtime whose database holds the table.</param>
/// <param name="cluster">The Orleans cluster options (their service id keys the rows).</param>
internal sealed class SqliteReminderTable(OrleansFlowSilo silo, IOptions<ClusterOptions> cluster) : IReminderTable
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    private Database Database => silo.Database;

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    // The table is made by the migrations, which ran when the database was opened.
    public Task Init() => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        Database.ReadAsync(async session =>
        {
            await using var command = session.Named("orleans_reminders.by_grain").Add("service_id", _serviceId).Add("grain_id", grainId.ToString());
            return new ReminderTableData(await command.ListAsync(Entry, cancellationToken).ConfigureAwait(false));
        }, cancellationToken);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    /// <summary>The rows whose grain hash is in (<paramref name="begin"/>, <paramref name="end"/>]; when
    /// <paramref name="begin"/> is not below <paramref name="end"/> the range wraps around the ring: above
    /// <paramref name="begin"/> or up to <paramref name="end"/> (every row when they are equal).</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) =>
        Database.ReadAsync(async session =>
        {
            await using var command = session.Named(begin < end ? "orleans_reminders.in_range" : "orleans_reminders.in_wrapped_range")
                .Add("service_id", _serviceId).Add("begin_hash", (long)begin).Add("end_hash", (long)end);
            return new ReminderTableData(await command.ListAsync(Entry, cancellationToken).ConfigureAwait(false));
        }, cancellationToken);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        Database.ReadAsync(async session =>
        {
            await using var command = session.Named("orleans_reminders.by_name")
                .Add("service_id", _serviceId).Add("grain_id", grainId.ToString()).Add("reminder_name", reminderName);
            return await command.FirstOrDefaultAsync<ReminderEntry?>(Entry, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var start = entry.StartAt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc) : entry.StartAt.ToUniversalTime();
        return Database.WriteAsync<string?>(async session =>
        {
            await using var command = session.Named("orleans_reminders.upsert")
                .Add("service_id", _serviceId).Add("grain_id", entry.GrainId.ToString()).Add("reminder_name", entry.ReminderName)
                .Add("start_time", new DateTimeOffset(start)).Add("period_ms", (long)entry.Period.TotalMilliseconds)
                .Add("grain_hash", (long)entry.GrainId.GetUniformHashCode());
            var version = await command.ScalarAsync(cancellationToken).ConfigureAwait(false);
            return Convert.ToInt64(version, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }, cancellationToken);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        return await Database.WriteAsync(async session =>
        {
            await using var command = session.Named("orleans_reminders.remove")
                .Add("service_id", _serviceId).Add("grain_id", grainId.ToString()).Add("reminder_name", reminderName).Add("version", version);
            return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        Database.WriteAsync(async session =>
        {
            await using var command = session.Named("orleans_reminders.clear").Add("service_id", _serviceId);
            return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private static ReminderEntry Entry(DbDataReader reader) => new()
    {
        GrainId = GrainId.Parse(reader.GetString(0)),
        ReminderName = reader.GetString(1),
        StartAt = Rows.Time(reader, 2).UtcDateTime,
        Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
        ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
    };
}
