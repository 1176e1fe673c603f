namespace OrleansFlow.Generators.Model;

/// <summary>What a flow or task method returns, which picks the <c>FlowRuntime</c> entry point.</summary>
internal enum ReturnShape
{
    Value,
    Void,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}
