using OrleansFlow.Bench.Cli;
using OrleansFlow.Bench.Scenarios;
using OrleansFlow.Bench.Scenarios.Memory;
using OrleansFlow.Bench.Scenarios.Pickup;

namespace OrleansFlow.Bench;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == PickupCommand.Name)
        {
            return await PickupCommand.RunAsync(args[1..], Console.Out, Console.Error);
        }

        if (args is ["serve-pickup", ..]) return await ServePickupCommand.RunAsync(args[1..], Console.Out, Console.Error);
        if (args is [Profiling.ProfileReportCommand.Name, ..])
        {
            return await Profiling.ProfileReportCommand.RunAsync(args[1..], Console.Out, Console.Error);
        }

        if (args.Length > 0 && args[0] == Scenarios.Events.EventsCommand.Name)
        {
            return await Scenarios.Events.EventsCommand.RunAsync(args[1..], Console.Out, Console.Error);
        }

        if (args is [Scenarios.Floor.FloorCommand.Name, ..])
        {
            return await Scenarios.Floor.FloorCommand.RunAsync(args[1..], Console.Out, Console.Error);
        }

        if (args.Length > 0 && args[0] == MemoryCommand.Name)
        {
            // Ctrl+C: stop taking new runs, finish the running ones and report.
            using var stopMemory = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = !stopMemory.IsCancellationRequested;
                stopMemory.Cancel();
            };
            return await MemoryCommand.RunAsync(args[1..], Console.Out, Console.Error, stopMemory.Token);
        }

        ParsedCommand command;
        try
        {
            command = CommandLineParser.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            await Console.Error.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.BadArguments;
        }

        if (command.Options is null)
        {
            await Console.Out.WriteAsync(HelpText.Text);
            return ExitCodes.Success;
        }

        // First Ctrl+C: stop starting new iterations, let the running ones finish and report.
        // Second Ctrl+C: the default behaviour (terminate).
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!stop.IsCancellationRequested)
            {
                e.Cancel = true;
                Console.Error.WriteLine("[hotpath] stopping after the running iterations (Ctrl+C again to abort)");
                stop.Cancel();
            }
        };

        return await HotPathCommand.RunAsync(command.Options, Console.Out, Console.Error, stop.Token);
    }
}
