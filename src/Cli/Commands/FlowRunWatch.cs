using System.CommandLine;
using System.Text.Json.Nodes;
using OrleansFlow.Client;

namespace OrleansFlow.Cli.Commands;

/// <summary>Follows a flow run to a final state, as Prefect 2.20's <c>deployment run --watch</c>: each state it is seen in
/// is printed as it changes; the command succeeds when the run completed and fails (exit 1) when it ended in any other final
/// state or was still not final at the timeout. With <c>-o json</c> only the run as it ended is printed.</summary>
internal static class FlowRunWatch
{
    public static async Task FollowAsync(ClientCommand cli, ParseResult parse, OrleansFlowClient api, JsonNode flowRun, TimeSpan interval, TimeSpan? timeout,
        CancellationToken ct)
    {
        var id = flowRun["id"]!.ToString();
        var name = ClientCommand.Text(flowRun["name"]);
        var notFound = $"flow run '{name}' ({id}) not found: it was deleted";
        using var deadline = timeout is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
        string? seen = null;
        var run = flowRun;
        while (true)
        {
            var state = run["state"];
            var label = $"{state?["name"]} ({state?["type"]})";
            if (label != seen && !cli.Json(parse))
            {
                cli.Console.Out.WriteLine($"{ClientCommand.Time(state?["timestamp"])} flow run '{name}' is {state?["name"]}" +
                    (state?["message"] is { } message && ClientCommand.Text(message).Length > 0 ? $": {ClientCommand.Text(message)}" : ""));
            }

            seen = label;
            var type = state?["type"]?.ToString();
            if (Enum.TryParse<StateType>(type, ignoreCase: true, out var parsed) && parsed.IsTerminal())
            {
                if (cli.Json(parse))
                {
                    cli.WriteJson(run);
                }

                if (parsed != StateType.Completed)
                {
                    throw new CliException($"flow run '{name}' finished in state '{state?["name"]}'");
                }

                if (!cli.Json(parse))
                {
                    cli.Console.Out.WriteLine($"Flow run '{name}' finished successfully in state '{state?["name"]}'.");
                }

                return;
            }

            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
                await Task.Delay(interval, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                if (cli.Json(parse))
                {
                    cli.WriteJson(run);
                }

                throw new CliException($"flow run '{name}' did not finish within {timeout!.Value.TotalSeconds:0} s: it is {state?["name"]}");
            }

            run = (await api.GetJsonAsync($"flow_runs/{id}", notFound, ct).ConfigureAwait(false))!;
        }
    }
}
