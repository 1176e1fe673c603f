using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Background;

/// <summary>A named lease in the <c>leases</c> table: a singleton background process runs a tick only while its server
/// holds the lease, so across servers sharing one database each tick runs once. A holder renews it on every tick; a
/// server that dies loses it when it expires.</summary>
internal static class Lease
{
    /// <summary>Takes or renews the lease <paramref name="name"/> for <paramref name="owner"/> until now +
    /// <paramref name="duration"/>; false when another owner holds it unexpired.</summary>
    public static Task<bool> TryAcquireAsync(OrleansFlowSilo silo, string name, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        silo.Database.WriteAsync(async session =>
        {
            var now = silo.Clock.GetUtcNow();
            await using var command = session.Named("reminders.lease")
                .Add("name", name).Add("owner", owner).Add("expires_at", now + duration).Add("now", now);
            return await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
}
