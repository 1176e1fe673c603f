using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Reminders;

/// <summary>The reminder-table contract on PostgreSQL: Microsoft.Orleans.Reminders.AdoNet's table, built as a silo
/// builds it (<see cref="Runtime.SiloBuilderExtensions.UsePostgresReminders"/>'s settings), over the statements of migration
/// 0011 in a fresh database.</summary>
public sealed class PostgresReminderTableContract : ReminderTableContract
{
    private PostgresTestDatabase? _database;
    private ServiceProvider? _services;

    protected override async Task<DatabaseOptions> NewDatabaseAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        return _database.Options();
    }

    protected override async Task<IReminderTable> OpenTableAsync(OrleansFlowSilo silo, DatabaseOptions database, string serviceId)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<ClusterOptions>(cluster => cluster.ServiceId = serviceId);
        services.UseAdoNetReminderService(reminders => reminders.Configure(options =>
        {
            options.Invariant = Runtime.SiloBuilderExtensions.PostgresInvariant;
            options.ConnectionString = _database!.ConnectionString;
        }));
        _services = services.BuildServiceProvider();
        var table = _services.GetRequiredService<IReminderTable>();
        await table.StartAsync();
        return table;
    }

    protected override async ValueTask DisposeDatabaseAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
