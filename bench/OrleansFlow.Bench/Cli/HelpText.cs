namespace OrleansFlow.Bench.Cli;

internal static class HelpText
{
    public const string Text = """
        OrleansFlow.Bench - load generator for a Prefect-2-compatible REST API

        Usage:
          dotnet run -c Release --project bench/OrleansFlow.Bench -- hotpath [options]
          dotnet run -c Release --project bench/OrleansFlow.Bench -- pickup --api URL [--runs 50] [--burst 100]
            [--limit 4] [--warmup 3] [--command CMD] [--json FILE] [--label TEXT]
            (create_flow_run -> flow code through a process worker; see docs/deployments.md)
          dotnet run -c Release --project bench/OrleansFlow.Bench -- memory --api URL --server-pid PID
            [--runs 1000000] [--concurrency 32] [--sample-interval-ms 500] [--settle S] [--timeout S]
            [--json FILE] [--label TEXT] [--flow-name NAME]
            (N flow runs SCHEDULED -> PENDING -> RUNNING -> COMPLETED; the server's peak and final RSS; see bench/README.md)
          dotnet run -c Release --project bench/OrleansFlow.Bench -- floor --api URL --server-pid PID
            [--concurrency 32] [--duration 20] [--warmup 10] [--probe hello|flow-run] [--json FILE]
            (what a request costs the server before it writes: GET /hello, GET /flow_runs/{id}; see bench/README.md)
          dotnet run -c Release --project bench/OrleansFlow.Bench -- profile-report FILE.nettrace|FILE.csv|DB-wal... [--top 25]
            (what dotnet-trace / dotnet-counters recorded of a server, or the pages a SQLite log's commits wrote;
            bench/scripts/hotpath-profile.sh and hotpath-wal.sh record them; see bench/README.md)

        Scenario 'hotpath': each worker loops over one iteration until the duration ends
        (a started iteration is always finished, as in the recorded Prefect baseline):
          POST /flow_runs/ (SCHEDULED); set_state PENDING, RUNNING;
          N x [POST /task_runs/ (PENDING); set_state PENDING, RUNNING, COMPLETED];
          set_state COMPLETED
          = 4 + 4N requests, 3 + 3N set_state transitions (44 and 33 with N = 10).

        Options:
          --api URL             Prefect API base URL (default http://127.0.0.1:4200/api)
          --concurrency C[,C]   concurrent workers; a list runs each level in turn (default 8)
          --duration S          measured seconds per level (default 20)
          --warmup S            warm-up seconds before each level, not measured (default 3; 0 = none)
          --tasks-per-flow N    task runs per flow run (default 10)
          --timeout S           HTTP request timeout in seconds (default 30)
          --json FILE           also write the results as JSON Lines (one object per level)
          --server-pid PID[,PID]  report the CPU share of these processes over the window (Linux /proc)
          --label TEXT          series label copied into the JSON
          --flow-name NAME      flow the runs belong to (default bench-flow)
          -h, --help            show this help

        Output: a table on stdout, then one line per level starting with {"scenario":"hotpath"
        (progress goes to stderr). Exit codes: 0 done, 1 could not run / no iteration
        succeeded, 2 bad arguments.

        Example:
          dotnet run -c Release --project bench/OrleansFlow.Bench -- hotpath \
            --api http://127.0.0.1:4200/api --concurrency 1,8,32 --duration 20 --tasks-per-flow 10

        """;
}
