using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Grains.ConcurrencyLimits;

/// <summary>Task runs' tag concurrency slots, taken and given back through the limits' grains (never in a run's own
/// transaction: the grain writes its limit's row itself, conditional on its version). A singleton of the silo's services.</summary>
/// <param name="grains">The grain factory the limits' grains are reached through.</param>
/// <param name="database">The database the limits are read from.</param>
/// <param name="store">The limits' store.</param>
internal sealed class ConcurrencySlots(IGrainFactory grains, IGrainDatabase database, IConcurrencyLimitStore store)
{
    /// <summary>Asks the grain of each of <paramref name="tags"/> that has a limit, in tag order, for a slot for
    /// <paramref name="taskRunId"/>. At the first refusal the slots this call took are given back and no further limit
    /// is asked: the task-run rules then make the run WAIT (or abort it, for a limit of 0) on the answers.</summary>
    /// <returns>The limits as their grains decided on them (what the rules read) and the tags whose slot this call took.</returns>
    public async Task<SlotClaim> AcquireAsync(Guid taskRunId, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var limited = await LimitsOfAsync(tags, cancellationToken).ConfigureAwait(false);
        var answered = new List<ConcurrencyLimit>();
        var taken = new List<string>();
        try
        {
            foreach (var tag in limited.Select(l => l.Tag).Order(StringComparer.Ordinal))
            {
                var answer = await grains.ConcurrencyLimit(tag).TryAcquireAsync(taskRunId).ConfigureAwait(false);
                if (answer.Limit is null)
                {
                    continue; // deleted meanwhile
                }

                answered.Add(answer.Limit);
                if (!answer.Acquired)
                {
                    await GiveBackAsync(taskRunId, taken).ConfigureAwait(false);
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
            await GiveBackAsync(taskRunId, taken).ConfigureAwait(false);
            throw;
        }

        return new SlotClaim(answered, taken);
    }

    /// <summary>Gives back the slots of <paramref name="taskRunId"/> in the limits of <paramref name="tags"/> (taken by
    /// a claim whose transition did not make the run RUNNING).</summary>
    public async Task GiveBackAsync(Guid taskRunId, IReadOnlyList<string> tags)
    {
        foreach (var tag in tags)
        {
            await grains.ConcurrencyLimit(tag).ReleaseAsync([taskRunId]).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back every slot that <paramref name="runs"/> (task-run ids with their tags) hold: the limits of
    /// their tags are read once, and only the grains of limits that hold one of them are called.</summary>
    public async Task ReleaseAsync(IReadOnlyCollection<(Guid Id, IReadOnlyList<string> Tags)> runs, CancellationToken cancellationToken)
    {
        var tagged = runs.Where(r => r.Tags.Count > 0).ToList();
        if (tagged.Count == 0)
        {
            return;
        }

        foreach (var limit in await LimitsOfAsync([.. tagged.SelectMany(r => r.Tags)], cancellationToken).ConfigureAwait(false))
        {
            var holders = tagged.Where(r => limit.ActiveSlots.Contains(r.Id) && r.Tags.Contains(limit.Tag, StringComparer.Ordinal)).Select(r => r.Id).ToList();
            if (holders.Count > 0)
            {
                await grains.ConcurrencyLimit(limit.Tag).ReleaseAsync(holders).ConfigureAwait(false);
            }
        }
    }

    private Task<List<ConcurrencyLimit>> LimitsOfAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var distinct = tags.Distinct(StringComparer.Ordinal).ToList();
        return database.ReadAsync(session => store.ForTagsAsync(session, distinct, cancellationToken), cancellationToken);
    }
}
