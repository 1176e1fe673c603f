using OrleansFlow;

// Started by a worker (ORLEANSFLOW_FLOW_RUN_ID) or by `orleansflow deploy` (ORLEANSFLOW_DESCRIBE_FLOWS).
return await FlowRunEntry.TryRunFromEnvironmentAsync(typeof(Reports).Assembly) ? 0 : 2;

public static class Reports
{
    [Flow(Name = "sales-report")]
    public static string Sales(string region, int days = 7, bool draft = false) => $"{region}:{days}:{draft}";
}
