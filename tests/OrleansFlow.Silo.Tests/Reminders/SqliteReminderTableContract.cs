using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansFlow.Silo.Reminders;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Reminders;

/// <summary>The reminder-table contract on SQLite: <see cref="SqliteReminderTable"/> over a fresh file.</summary>
public sealed class SqliteReminderTableContract : ReminderTableContract
{
    private readonly SqliteFiles _files = new();

    protected override Task<DatabaseOptions> NewDatabaseAsync() => Task.FromResult(_files.NewDatabase());

    protected override async Task<IReminderTable> OpenTableAsync(OrleansFlowSilo silo, DatabaseOptions database, string serviceId)
    {
        var table = new SqliteReminderTable(silo, Options.Create(new ClusterOptions { ServiceId = serviceId }));
        await table.StartAsync();
        return table;
    }

    protected override ValueTask DisposeDatabaseAsync()
    {
        _files.Dispose();
        return ValueTask.CompletedTask;
    }
}
