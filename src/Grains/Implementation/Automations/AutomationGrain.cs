using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansFlow.Grains.Events;
using OrleansFlow.Grains.Hosting;
using OrleansFlow.Grains.Orchestration;

namespace OrleansFlow.Grains.Automations;

/// <summary>An automation's evaluation (see <see cref="IAutomationGrain"/>). The trigger state is read on activation and
/// written (conditionally on its version) in the same transaction as the firings it produced, each firing with its
/// actions pending; the actions run after that write. A firing left pending, by a silo that died mid-action or by a write
/// that failed, is executed again (its run-deployment idempotency key makes that safe) before anything else the grain
/// does: a new activation starts by executing the pending firings, whether its first turn is the dispatcher delivering
/// the events again (its cursor does not move past events whose delivery did not answer) or its own timer; while firings
/// remain pending the timer retries and the reminder <see cref="ReminderName"/> stays registered. Proactive deadlines arm
/// a grain timer; while any is open, the reminder (at least a minute apart) brings the grain back after a silo's
/// death.</summary>
internal sealed partial class AutomationGrain(IGrainServices services, IAutomationStore store, ILogger<AutomationGrain> logger)
    : Grain, IAutomationGrain, IRemindable
{
    /// <summary>The name of the deadline reminder.</summary>
    public const string ReminderName = "automation-deadline";

    /// <summary>How soon a tick that failed, or actions that failed, are tried again.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private Automation? _automation;
    private AutomationTriggerState _state = AutomationTriggerState.Empty;
    private long _version;
    private IGrainTimer? _timer;
    // Whether the reminder is registered: unknown (null) until this activation looked, so that an automation without
    // deadlines reads the reminder table once per activation, not once per event.
    private bool? _reminding;
    // Whether firings may be pending: true on activation (a silo may have died mid-action), while actions failed, and
    // until the pending firings were read and executed without error.
    private bool _pending;

    private Guid Id => this.GetPrimaryKey();

    private bool Active => _automation is { Enabled: true };

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        // Firings a silo left pending when it died: their actions run again (at most once each in effect), on this timer
        // or at the start of the first delivery, whichever comes first (a delivery's ArmAsync replaces the timer).
        _pending = true;
        _timer = this.RegisterGrainTimer(static (grain, _) => grain.TimerAsync(), this,
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    public async Task RefreshAsync()
    {
        var wasActive = Active;
        await LoadAsync(CancellationToken.None);
        if (!Active)
        {
            if (wasActive || _version > 0)
            {
                // Disabled or deleted: forget the open windows (enabling again starts afresh, as Prefect's reload does).
                await ResetStateAsync();
            }

            await DisarmAsync();
            if (_automation is null)
            {
                DeactivateOnIdle();
            }

            return;
        }

        await TickAsync();
    }

    public async Task<int> ReceiveAsync(IReadOnlyList<Event> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (!Active)
        {
            return 0;
        }

        await ResumeAsync();
        var trigger = _automation!.Trigger;
        var state = _state;
        var changed = false;
        var firings = new List<TriggerFiring>();
        foreach (var @event in events)
        {
            var result = TriggerRules.Evaluate(trigger, state, @event, services.Clock.GetUtcNow());
            state = result.State;
            changed |= result.Changed;
            firings.AddRange(result.Firings);
        }

        return await ApplyAsync(state, changed, firings);
    }

    public async Task<int> TickAsync()
    {
        // Older firings first: a failure here fails the tick, which is tried again.
        await ExecutePendingAsync();
        var fired = 0;
        if (Active)
        {
            var result = TriggerRules.Tick(_automation!.Trigger, _state, services.Clock.GetUtcNow());
            fired = await ApplyAsync(result.State, result.Changed, result.Firings);
        }

        return fired;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            await TimerAsync();
        }
    }

    private async Task TimerAsync()
    {
        try
        {
            await TickAsync();
        }
        catch (Exception ex)
        {
            // The timer is armed again by the next call, and the reminder fires again after its period.
            Log.TickFailed(logger, ex, Id);
            await ArmAsync(retry: true);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _automation = await store.GetAsync(Id, cancellationToken);
        (_state, _version) = await services.Database.ReadAsync(session => store.GetStateAsync(session, Id, cancellationToken), cancellationToken);
    }

    private async Task ResetStateAsync()
    {
        _state = AutomationTriggerState.Empty;
        if (_automation is null)
        {
            _version = 0;
            return;
        }

        var (expected, now) = (_version, services.Clock.GetUtcNow());
        _version = await services.Database.WriteAsync(session => store.WriteStateAsync(session, Id, _state, expected, now, CancellationToken.None),
            CancellationToken.None);
    }

    /// <summary>Writes the new state with the firings (pending), then executes their actions and arms the deadline.</summary>
    private async Task<int> ApplyAsync(AutomationTriggerState state, bool changed, IReadOnlyList<TriggerFiring> firings)
    {
        var automation = _automation!;
        var now = services.Clock.GetUtcNow();
        var records = firings.Select(f => new AutomationFiring
        {
            Id = services.NewId(),
            AutomationId = Id,
            TriggerId = f.TriggerId,
            Fired = f.Triggered,
            BucketKey = f.BucketKey,
            TriggeringLabels = f.TriggeringLabels,
            TriggeringEvent = f.TriggeringEvent,
            EventIds = f.EventIds,
            Status = "pending",
            ActionResults = [.. automation.ActionsOnFiring().Select((a, i) => new AutomationActionResult { Index = i, Type = a.Type, Status = AutomationActionResult.Pending })],
            Updated = now,
        }).ToList();
        if (changed || records.Count > 0)
        {
            var expected = _version;
            try
            {
                _version = await services.Database.WriteAsync(async session =>
                {
                    var version = await store.WriteStateAsync(session, Id, state, expected, now, CancellationToken.None);
                    foreach (var record in records)
                    {
                        await store.InsertFiringAsync(session, record, CancellationToken.None);
                    }

                    return version;
                }, CancellationToken.None);
            }
            catch (ConcurrencyConflictException)
            {
                // Another activation (during a membership change) wrote the state: take its state, drop this evaluation.
                await LoadAsync(CancellationToken.None);
                throw;
            }

            _state = state;
        }

        var retry = false;
        foreach (var record in records)
        {
            Log.Fired(logger, Id, record.Id, record.BucketKey);
            try
            {
                await ExecuteAsync(record);
            }
            catch (Exception ex)
            {
                // The firing is stored pending: a tick executes what is left of it (its run-deployment at most once).
                Log.ActionsFailed(logger, ex, Id, record.Id);
                _pending = true;
                retry = true;
            }
        }

        await ArmAsync(retry);
        return records.Count;
    }

    /// <summary>Executes the pending firings before a delivery's events when this activation has not yet (or failed to):
    /// a failure is logged and left to the retry timer, so that one automation's firing never holds back the dispatcher's
    /// cursor, which every automation shares.</summary>
    private async Task ResumeAsync()
    {
        if (!_pending)
        {
            return;
        }

        try
        {
            await ExecutePendingAsync();
        }
        catch (Exception ex)
        {
            Log.ResumeFailed(logger, ex, Id);
        }
    }

    private async Task ExecutePendingAsync()
    {
        if (_automation is null)
        {
            _pending = false;
            return;
        }

        const int limit = 100;
        var pending = await services.Database.ReadAsync(session => store.PendingFiringsAsync(session, Id, limit, CancellationToken.None),
            CancellationToken.None);
        foreach (var firing in pending.OrderBy(f => f.Fired))
        {
            await ExecuteAsync(firing);
        }

        // A full page may not be all of them: the retry timer reads again.
        _pending = pending.Count == limit;
    }

    private async Task ExecuteAsync(AutomationFiring firing)
    {
        var automation = _automation!;
        await store.ExecuteAsync(automation, firing, async enabled =>
        {
            // The automation pauses or resumes itself: written here, since a grain cannot wait on a call to itself.
            await services.Database.WriteAsync(session => store.UpdateAsync(session, automation with { Enabled = enabled, Updated = services.Clock.GetUtcNow() },
                CancellationToken.None), CancellationToken.None);
            _automation = automation with { Enabled = enabled };
        }, CancellationToken.None);
    }

    private async Task ArmAsync(bool retry)
    {
        retry |= _pending;
        var deadline = Active ? TriggerRules.NextDeadline(_automation!.Trigger, _state) : null;
        if (deadline is null && !retry)
        {
            await DisarmAsync();
            return;
        }

        var now = services.Clock.GetUtcNow();
        var due = deadline is { } at && at > now ? at - now : TimeSpan.Zero;
        if (retry && (deadline is null || due > RetryDelay))
        {
            due = RetryDelay;
        }

        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(static (grain, _) => grain.TimerAsync(), this,
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        if (_reminding != true)
        {
            var minimum = ServiceProvider.GetRequiredService<IOptions<ReminderOptions>>().Value.MinimumReminderPeriod;
            var period = new[] { TimeSpan.FromMinutes(1), minimum, services.Settings.SchedulePeriod }.Max();
            await this.RegisterOrUpdateReminder(ReminderName, period, period);
            _reminding = true;
        }
    }

    private async Task DisarmAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (_reminding == false)
        {
            return;
        }

        _reminding = false;
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Automation {AutomationId} fired (firing {FiringId}, bucket {BucketKey})")]
        public static partial void Fired(ILogger logger, Guid automationId, Guid firingId, string bucketKey);

        [LoggerMessage(EventId = 4302, Level = LogLevel.Error, Message = "Tick of automation {AutomationId} failed; it is tried again")]
        public static partial void TickFailed(ILogger logger, Exception exception, Guid automationId);

        [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Actions of firing {FiringId} of automation {AutomationId} failed; a tick executes them again")]
        public static partial void ActionsFailed(ILogger logger, Exception exception, Guid automationId, Guid firingId);

        [LoggerMessage(EventId = 4304, Level = LogLevel.Warning, Message = "Executing the pending firings of automation {AutomationId} failed; a tick executes them again")]
        public static partial void ResumeFailed(ILogger logger, Exception exception, Guid automationId);
    }
}
