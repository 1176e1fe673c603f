using System.Text.Json;

namespace OrleansFlow.Grains.States;

/// <summary>Small computations the flow-run and task-run rules share.</summary>
internal static class RuleText
{
    /// <summary>The wire name of a state type (<c>RUNNING</c>), as Prefect prints it in reasons.</summary>
    public static string WireName(this StateType type) => type.ToString().ToUpperInvariant();

    /// <summary>Seconds to wait until <paramref name="scheduledTime"/>, as Prefect rounds them: whole seconds plus
    /// the fraction rounded half to even, so a start due in 0.5 s or less is not delayed.</summary>
    public static int SecondsUntil(DateTimeOffset scheduledTime, DateTimeOffset now)
    {
        var ticks = (scheduledTime - now).Ticks;
        var wholeSeconds = ticks / TimeSpan.TicksPerSecond;
        var microseconds = ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond;
        var fraction = microseconds / 1e6;
        var seconds = wholeSeconds + (long)Math.Round(fraction, MidpointRounding.ToEven);
        return (int)Math.Clamp(seconds, int.MinValue, int.MaxValue);
    }

    /// <summary>True when a COMPLETED state's data points at a persisted result, i.e. it is set and its
    /// <c>type</c> is not <c>unpersisted</c>: re-running such a run would throw the result away.</summary>
    public static bool HasPersistedResult(this State state)
    {
        if (state.Data is not { } data || data.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return false;
        }

        return data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("type", out var type)
            || type.ValueKind != JsonValueKind.String
            || type.GetString() != "unpersisted";
    }
}
