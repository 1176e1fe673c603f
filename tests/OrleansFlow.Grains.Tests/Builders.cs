using System.Text.Json;
using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.Orchestration;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;

namespace OrleansFlow.Grains.Tests;

/// <summary>Fixed instants: rules never read the clock, so tests pin it.</summary>
internal static class At
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 23, 48, 24, TimeSpan.Zero);

    /// <summary>When the current state of a built run was entered (10 s before <see cref="Now"/>).</summary>
    public static readonly DateTimeOffset Entered = Now.AddSeconds(-10);
}

/// <summary>States, proposals and result data.</summary>
internal static class Make
{
    public static readonly Guid NewStateId = Guid.Parse("00000000-0000-0000-0000-0000000000aa");

    public static State State(StateType type, string? name = null, StateDetails? details = null, JsonElement? data = null) => new()
    {
        Id = Guid.NewGuid(),
        Type = type,
        Name = name ?? type.DefaultName(),
        Timestamp = At.Entered,
        Data = data,
        StateDetails = details ?? StateDetails.Empty,
    };

    public static ProposedState Proposal(StateType type, string? name = null, StateDetails? details = null, string? message = null, JsonElement? data = null) => new()
    {
        Type = type,
        Name = name,
        Message = message,
        Data = data,
        StateDetails = details ?? StateDetails.Empty,
    };

    public static StateDetails ScheduledAt(DateTimeOffset time) => new() { ScheduledTime = time };

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static JsonElement PersistedResult => Json("""{"type": "reference", "serializer_type": "pickle", "storage_key": "abc"}""");

    public static JsonElement UnpersistedResult => Json("""{"type": "unpersisted"}""");
}

/// <summary>Runs in a given state (entered at <see cref="At.Entered"/>); adjust other fields with <c>with</c>.</summary>
internal static class Runs
{
    public static readonly Guid FlowRunId = Guid.Parse("a7a798d2-da1e-4112-93ed-bc4580c2503e");
    public static readonly Guid TaskRunId = Guid.Parse("28f693aa-86c2-4d95-bac9-79c09fd92e2f");

    public static FlowRun Flow(StateType? type, string? name = null, StateDetails? details = null, JsonElement? data = null) =>
        WithState(new FlowRun { Id = FlowRunId, Name = "magic-oriole", FlowId = Guid.NewGuid() }, type is { } t ? Make.State(t, name, details, data) : null);

    public static FlowRun WithState(FlowRun run, State? state) =>
        run with { State = state, StateId = state?.Id, StateType = state?.Type, StateName = state?.Name };

    public static TaskRun Task(StateType? type, string? name = null, StateDetails? details = null, JsonElement? data = null) =>
        WithState(
            new TaskRun { Id = TaskRunId, Name = "flaky-0", FlowRunId = FlowRunId, TaskKey = "__main__.flaky", DynamicKey = "0" },
            type is { } t ? Make.State(t, name, details, data) : null);

    public static TaskRun WithState(TaskRun run, State? state) =>
        run with { State = state, StateId = state?.Id, StateType = state?.Type, StateName = state?.Name };

    /// <summary>A RUNNING flow run: the enclosing run task runs need.</summary>
    public static FlowRun RunningFlow(int runCount = 1) => Flow(StateType.Running) with { RunCount = runCount };
}

/// <summary>Rule contexts at <see cref="At.Now"/>.</summary>
internal static class Contexts
{
    public static FlowRunRuleContext Flow(bool force = false) => new() { Now = At.Now, NewStateId = Make.NewStateId, Force = force };

    public static TaskRunRuleContext Task(
        FlowRun? flowRun = null,
        bool force = false,
        State? cached = null,
        IReadOnlyList<ConcurrencyLimit>? limits = null,
        double jitterSample = 0.5) => new()
        {
            Now = At.Now,
            NewStateId = Make.NewStateId,
            Force = force,
            FlowRun = flowRun ?? Runs.RunningFlow(),
            CachedState = cached,
            ConcurrencyLimits = limits ?? [],
            JitterSample = jitterSample,
        };

    public static ConcurrencyLimit Limit(string tag, int limit, params Guid[] activeSlots) =>
        new() { Id = Guid.NewGuid(), Tag = tag, Limit = limit, ActiveSlots = activeSlots };
}

/// <summary>Checks of a decision's shape shared by many tests.</summary>
internal static class Expect
{
    /// <summary>Nothing written; the answer carries <paramref name="current"/> and the status and reason.</summary>
    public static void NotWritten<TRun>(Transition<TRun> transition, OrchestrationStatus status, string reason, State? current)
        where TRun : class
    {
        Assert.Equal(status, transition.Result.Status);
        Assert.Equal(reason, transition.Result.Details.Reason);
        Assert.Same(current, transition.Result.State);
        Assert.False(transition.Changed);
        Assert.Null(transition.Written);
        Assert.Null(transition.Updated);
    }

    /// <summary>A state was written with the given status; the answer carries it and the run points at it.</summary>
    public static State Written<TRun>(Transition<TRun> transition, OrchestrationStatus status, StateType type, string name)
        where TRun : class
    {
        Assert.Equal(status, transition.Result.Status);
        Assert.True(transition.Changed);
        var written = Assert.IsType<State>(transition.Written);
        Assert.Same(written, transition.Result.State);
        Assert.Equal(type, written.Type);
        Assert.Equal(name, written.Name);
        Assert.Equal(Make.NewStateId, written.Id);
        Assert.Equal(At.Now, written.Timestamp);
        Assert.NotNull(transition.Updated);
        return written;
    }

    public static State Accepted<TRun>(Transition<TRun> transition, StateType type, string? name = null)
        where TRun : class
    {
        var written = Written(transition, OrchestrationStatus.Accept, type, name ?? type.DefaultName());
        Assert.Equal("accept_details", transition.Result.Details.Type);
        return written;
    }
}
