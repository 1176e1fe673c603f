using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.ConcurrencyLimits;

/// <summary>A task run's tag concurrency slots, taken and given back through the limits' grains (never in a run's own
/// transaction: the grain writes its limit's row itself, conditional on its version).</summary>
internal static class ConcurrencySlots
{
    /// <summary>Asks the grain of each of <paramref name="tags"/> that has a limit, in tag order, for a slot for
    /// <paramref name="taskRunId"/>. At the first refusal the slots this call took are given back and no further limit
    /// is asked: the task-run rules then make the run WAIT (or abort it, for a limit of 0) on the answers.</summary>
    /// <returns>The limits as their grains decided on them (what the rules read) and the tags whose slot this call took.</returns>
    public static async Task<SlotClaim> AcquireAsync(OrleansFlowSilo silo, Guid taskRunId, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var limited = await LimitsOfAsync(silo, tags, cancellationToken).ConfigureAwait(false);
        var answered = new List<ConcurrencyLimit>();
        var taken = new List<string>();
        try
        {
            foreach (var tag in limited.Select(l => l.Tag).Order(StringComparer.Ordinal))
            {
                var answer = await silo.ConcurrencyLimit(tag).TryAcquireAsync(taskRunId).ConfigureAwait(false);
                if (answer.Limit is null)
                {
                    continue; // deleted meanwhile
                }

                answered.Add(answer.Limit);
                if (!answer.Acquired)
                {
                    await GiveBackAsync(silo, taskRunId, taken).ConfigureAwait(false);
                    return new SlotClaim(answered, []);
                }

                if (!answer.WasHeld)
                {
                    taken.Add(tag);
                }
            }
        }
        catch
        {
            await GiveBackAsync(silo, taskRunId, taken).ConfigureAwait(false);
            throw;
        }

        return new SlotClaim(answered, taken);
    }

    /// <summary>Gives back the slots of <paramref name="taskRunId"/> in the limits of <paramref name="tags"/> (taken by
    /// a claim whose transition did not make the run RUNNING).</summary>
    public static async Task GiveBackAsync(OrleansFlowSilo silo, Guid taskRunId, IReadOnlyList<string> tags)
    {
        foreach (var tag in tags)
        {
            await silo.ConcurrencyLimit(tag).ReleaseAsync([taskRunId]).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back every slot that <paramref name="runs"/> (task-run ids with their tags) hold: the limits of
    /// their tags are read once, and only the grains of limits that hold one of them are called.</summary>
    public static async Task ReleaseAsync(OrleansFlowSilo silo, IReadOnlyCollection<(Guid Id, IReadOnlyList<string> Tags)> runs, CancellationToken cancellationToken)
    {
        var tagged = runs.Where(r => r.Tags.Count > 0).ToList();
        if (tagged.Count == 0)
        {
            return;
        }

        foreach (var limit in await LimitsOfAsync(silo, [.. tagged.SelectMany(r => r.Tags)], cancellationToken).ConfigureAwait(false))
        {
            var holders = tagged.Where(r => limit.ActiveSlots.Contains(r.Id) && r.Tags.Contains(limit.Tag, StringComparer.Ordinal)).Select(r => r.Id).ToList();
            if (holders.Count > 0)
            {
                await silo.ConcurrencyLimit(limit.Tag).ReleaseAsync(holders).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The task runs (id, tags) that the named statement selects with the single parameter <c>@id</c>: read
    /// before deleting them, so that their slots can be given back after the delete commits.</summary>
    public static Task<List<(Guid Id, IReadOnlyList<string> Tags)>> HoldersAsync(OrleansFlowSilo silo, string selectRuns, Guid id, CancellationToken cancellationToken) =>
        silo.Database.ReadAsync(async session =>
        {
            await using var select = session.Named(selectRuns).Add("id", id);
            return await select.ListAsync(r => (Rows.Guid(r, 0), Rows.Tags(r, 1)), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private static Task<List<ConcurrencyLimit>> LimitsOfAsync(OrleansFlowSilo silo, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var distinct = tags.Distinct(StringComparer.Ordinal).ToList();
        return silo.Database.ReadAsync(session => ConcurrencyLimitStore.ForTagsAsync(session, distinct, cancellationToken), cancellationToken);
    }
}
