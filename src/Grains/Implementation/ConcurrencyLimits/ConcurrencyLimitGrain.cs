using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.Orchestration;

namespace OrleansFlow.Grains.ConcurrencyLimits;

/// <summary>A tag concurrency limit's grain. Its activation loads the limit once and holds it with its slots' leases and
/// row version; a decision is made on that (pure <see cref="ConcurrencySlotRules"/>) and written once, conditional on
/// the version. A write that finds the row moved on (another activation of the tag wrote first) fails, the limit is read
/// again and the decision made again, so two activations can never both grant the last slot. An answer that grants
/// nothing (no limit, limit full, run not holding) is checked against the row once before it is given, so a stale
/// activation never keeps refusing.</summary>
internal sealed class ConcurrencyLimitGrain(IGrainServices services, IConcurrencyLimitStore store) : Grain, IConcurrencyLimitGrain
{
    private LeasedConcurrencyLimit? _limit;

    private enum Write
    {
        None,
        Insert,
        Update,
        Delete,
    }

    /// <summary>The grain key of a tag's limit: the tag behind a prefix, because Orleans refuses an empty or blank key and
    /// the API accepts any tag (a blank one gets an answer, not a failure).</summary>
    public static string KeyOf(string tag) => KeyPrefix + tag;

    private const string KeyPrefix = "tag:";

    private string Tag => this.GetPrimaryKeyString()[KeyPrefix.Length..];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _limit = await ReadAsync(cancellationToken);
        Telemetry.OrleansFlowTelemetry.TrackSlots(Tag, () => _limit?.Leases.Count ?? 0);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Telemetry.OrleansFlowTelemetry.UntrackSlots(Tag);
        return Task.CompletedTask;
    }

    public Task<ConcurrencyLimit> UpsertAsync(int limit)
    {
        var tag = Tag;
        return ChangeAsync(fresh: true, (current, now) =>
        {
            if (current is null)
            {
                var created = new ConcurrencyLimit { Id = services.NewId(), Tag = tag, Limit = limit, Created = now, Updated = now };
                return (created, Write.Insert, new LeasedConcurrencyLimit(created, new Dictionary<Guid, DateTimeOffset>(), 1));
            }

            var changed = current with { Limit = current.Limit with { Limit = limit, Updated = now } };
            return (changed.Limit, Write.Update, changed);
        });
    }

    public async Task<ConcurrencyLimit?> GetAsync()
    {
        _limit = await ReadAsync(CancellationToken.None);
        return _limit?.Limit;
    }

    public async Task<SlotAcquisition> TryAcquireAsync(Guid taskRunId)
    {
        var lease = services.Settings.ConcurrencySlotLease;
        var stale = new HashSet<Guid>();
        var alive = new HashSet<Guid>();
        var refreshed = false;
        while (true)
        {
            var answer = await ChangeAsync(fresh: false, (current, now) =>
            {
                if (current is null)
                {
                    return (new SlotAcquisition(null, false, false), Write.None, null);
                }

                var (changed, acquired, wasHeld) = ConcurrencySlotRules.Acquire(current, taskRunId, now, lease, stale, alive);
                return (new SlotAcquisition((changed ?? current).Limit, acquired, wasHeld), changed is null ? Write.None : Write.Update, changed ?? current);
            });
            if (answer.Acquired)
            {
                return answer;
            }

            // A refusal decided on the activation's state is checked against the row once: another activation may have
            // freed a slot (or created the limit) since.
            if (!refreshed)
            {
                refreshed = true;
                if (await RefreshAsync())
                {
                    continue;
                }
            }

            if (_limit is not { Limit.Limit: > 0 } limit)
            {
                return answer;
            }

            // Full: a holder whose lease has ended keeps its slot only if it is still RUNNING.
            var toCheck = limit.ExpiredHolders(services.Clock.GetUtcNow())
                .Where(holder => holder != taskRunId && !stale.Contains(holder) && !alive.Contains(holder)).ToList();
            if (toCheck.Count == 0)
            {
                return answer;
            }

            foreach (var holder in toCheck)
            {
                (await IsRunningAsync(holder) ? alive : stale).Add(holder);
            }
        }
    }

    public async Task ReleaseAsync(IReadOnlyList<Guid> taskRunIds)
    {
        if (_limit is null || !_limit.Limit.ActiveSlots.Any(taskRunIds.Contains))
        {
            // The caller saw them holding slots in the row: this activation may not have seen them take them.
            await RefreshAsync();
        }

        await ChangeAsync(fresh: false, (current, now) =>
            current is not null && ConcurrencySlotRules.Release(current, [.. taskRunIds], now) is { } changed
                ? (true, Write.Update, changed)
                : (false, Write.None, current));
    }

    public Task<bool> ResetAsync(IReadOnlyList<Guid> slots)
    {
        var lease = services.Settings.ConcurrencySlotLease;
        return ChangeAsync(fresh: true, (current, now) => current is null
            ? (false, Write.None, null)
            : (true, Write.Update, ConcurrencySlotRules.Reset(current, slots, now, lease)));
    }

    public async Task<bool> DeleteAsync(Guid? id)
    {
        var deleted = await ChangeAsync(fresh: true, (current, _) => current is null || (id is { } only && current.Limit.Id != only)
            ? (false, Write.None, current)
            : (true, Write.Delete, null));
        if (deleted && _limit is null)
        {
            // Unloaded once, by the delete that removed the limit: a call queued behind it is answered by the next
            // activation instead of being forwarded again (Orleans forwards a queued call twice at most, then fails it).
            DeactivateOnIdle();
        }

        return deleted;
    }

    /// <summary>Decides on the limit and writes the decision in one transaction: on the activation's limit on the first
    /// attempt (unless <paramref name="fresh"/>), else on the row read in the transaction; the write is conditional on the
    /// version decided on, and a conflict makes the database layer run it again. The activation keeps what committed.</summary>
    private async Task<T> ChangeAsync<T>(bool fresh, Func<LeasedConcurrencyLimit?, DateTimeOffset, (T Answer, Write Write, LeasedConcurrencyLimit? Next)> decide)
    {
        var tag = Tag;
        var held = _limit;
        var useHeld = !fresh;
        var (answer, next) = await services.Database.WriteAsync(async session =>
        {
            var current = useHeld ? held : await store.GetLeasedAsync(session, tag, CancellationToken.None);
            useHeld = false;
            var (answer, write, next) = decide(current, services.Clock.GetUtcNow());
            var written = write switch
            {
                Write.Insert => await store.InsertAsync(session, next!.Limit, CancellationToken.None),
                Write.Update => await store.UpdateAsync(session, next!, current!.Version, CancellationToken.None),
                Write.Delete => await store.DeleteAsync(session, current!.Limit.Id, current.Version, CancellationToken.None),
                _ => true,
            };
            if (!written)
            {
                throw new ConcurrencyConflictException($"The concurrency limit of tag \"{tag}\" changed while it was being written.");
            }

            return (answer, write switch
            {
                Write.None => current,
                Write.Update => next! with { Version = current!.Version + 1 },
                Write.Delete => null,
                _ => next,
            });
        }, CancellationToken.None);
        _limit = next;
        return answer;
    }

    /// <summary>Reads the row again; true when it is not what the activation held (another activation wrote).</summary>
    private async Task<bool> RefreshAsync()
    {
        var stored = await ReadAsync(CancellationToken.None);
        var moved = stored?.Version != _limit?.Version || stored?.Limit.Id != _limit?.Limit.Id;
        _limit = stored;
        return moved;
    }

    private Task<LeasedConcurrencyLimit?> ReadAsync(CancellationToken cancellationToken)
    {
        var tag = Tag;
        return services.Database.ReadAsync(session => store.GetLeasedAsync(session, tag, cancellationToken), cancellationToken);
    }

    /// <summary>Whether the holder's task run is RUNNING; a holder that cannot be asked keeps its slot.</summary>
    private async Task<bool> IsRunningAsync(Guid holder)
    {
        try
        {
            return await GrainFactory.TaskRun(holder).IsRunningAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return true;
        }
    }
}
