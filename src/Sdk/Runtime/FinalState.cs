using System.Runtime.CompilerServices;
using OrleansFlow.Client;

namespace OrleansFlow.Runtime;

/// <summary>Hands the final state of the next run started in this async flow to <see cref="Flows"/>' <c>CallForState</c>.
/// The engine takes the box when a run starts, so runs nested in the body never see it.</summary>
internal static class FinalState
{
    private static readonly AsyncLocal<StrongBox<State?>?> Sink = new();

    public static StrongBox<State?> Expect()
    {
        var box = new StrongBox<State?>();
        Sink.Value = box;
        return box;
    }

    public static void Clear() => Sink.Value = null;

    /// <summary>The box of the caller, if it asked for the state; nested runs get none.</summary>
    public static StrongBox<State?>? Take()
    {
        var box = Sink.Value;
        Sink.Value = null;
        return box;
    }
}
