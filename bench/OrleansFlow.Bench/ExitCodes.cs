namespace OrleansFlow.Bench;

/// <summary>Process exit codes of the benchmark tool.</summary>
internal static class ExitCodes
{
    /// <summary>The run completed (errors, if any, are in the report).</summary>
    public const int Success = 0;

    /// <summary>The run could not start (server unreachable, flow upsert failed) or no iteration succeeded.</summary>
    public const int RunFailed = 1;

    /// <summary>The command line was invalid.</summary>
    public const int BadArguments = 2;
}
