// A flow that calls another flow: each call is a child flow run linked to a task run of the parent.
using OrleansFlow;

Console.WriteLine($"Result: {Subflows.ParentFlow(3)}");

public static class Subflows
{
    [FlowTask]
    public static int Double(int x) => x * 2;

    [Flow(Name = "child-flow")]
    public static int ChildFlow(int x) => Double(x);

    [Flow(Name = "parent-flow")]
    public static int ParentFlow(int n) => ChildFlow(n) + ChildFlow(n * 2);
}
