namespace OrleansFlow;

/// <summary>Code to run when a flow run or task run reaches a final state (Prefect's state hooks). Name hook types in
/// <c>[Flow(OnCompletion = [typeof(MyHook)])]</c>, <c>OnFailure</c>, and the same on <c>[FlowTask]</c>; each needs a public
/// parameterless constructor. Hooks run after the state is recorded; an exception in a hook is logged to the run's logs
/// and changes neither the state nor what the caller gets.</summary>
public interface IRunHook
{
    /// <summary>Called once the run is in its final state.</summary>
    Task OnFinishedAsync(RunHookContext context);
}
