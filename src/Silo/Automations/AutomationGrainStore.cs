using OrleansFlow.Grains.Automations;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Silo.Notifications;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.Automations;

/// <summary>The automation grain's store over this silo's database: <see cref="AutomationStore"/>'s rows, and
/// <see cref="AutomationActionRunner"/> for the actions.</summary>
internal sealed class AutomationGrainStore(OrleansFlowSilo silo, NotificationSender sender) : IAutomationStore
{
    public Task<Automation?> GetAsync(Guid id, CancellationToken cancellationToken) => new AutomationCatalog(silo).GetAsync(id, cancellationToken);

    public Task<(AutomationTriggerState State, long Version)> GetStateAsync(IGrainTransaction transaction, Guid id, CancellationToken cancellationToken) =>
        AutomationStore.GetStateAsync(DbSession.Of(transaction), id, cancellationToken);

    public Task<long> WriteStateAsync(IGrainTransaction transaction, Guid id, AutomationTriggerState state, long expected, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        AutomationStore.WriteStateAsync(DbSession.Of(transaction), id, state, expected, now, cancellationToken);

    public Task InsertFiringAsync(IGrainTransaction transaction, AutomationFiring firing, CancellationToken cancellationToken) =>
        AutomationStore.InsertFiringAsync(DbSession.Of(transaction), firing, cancellationToken);

    public Task<List<AutomationFiring>> PendingFiringsAsync(IGrainTransaction transaction, Guid id, int limit, CancellationToken cancellationToken) =>
        AutomationStore.FiringsAsync(DbSession.Of(transaction), id, pendingOnly: true, limit, 0, cancellationToken);

    public Task<bool> UpdateAsync(IGrainTransaction transaction, Automation automation, CancellationToken cancellationToken) =>
        AutomationStore.UpdateAsync(DbSession.Of(transaction), automation, cancellationToken);

    public Task ExecuteAsync(Automation automation, AutomationFiring firing, Func<bool, Task> onSelf, CancellationToken cancellationToken) =>
        new AutomationActionRunner(silo, sender).ExecuteAsync(automation, firing, onSelf, cancellationToken);
}
