using System.Collections.Concurrent;
using OrleansFlow.Silo.Deployments;
using OrleansFlow.Silo.WorkPools;

namespace OrleansFlow.Deployments.Tests;

public sealed class ClaimRaceTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task GetScheduledFlowRuns_FourRacingWorkers_EachOf200RunsHandedOutExactlyOnce(DatabaseKind database)
    {
        await using var server = await Server.StartAsync(database);
        var deploymentId = Guid.Parse(await server.CreateDeploymentAsync("race"));
        var catalog = new DeploymentCatalog(server.Silo);
        var created = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var result = await catalog.CreateFlowRunAsync(deploymentId, new DeploymentRunRequest { Name = $"run-{i}" }, ct);
            created.Add(result!.Value.Run.Id);
        });

        var pools = new WorkPoolCatalog(server.Silo);
        var handedOut = new ConcurrentBag<(string Worker, Guid Run)>();
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var empty = 0;
            while (empty < 3)
            {
                var runs = await pools.GetScheduledFlowRunsAsync("race", null, DateTimeOffset.UtcNow.AddMinutes(1), 7, $"worker-{w}", CancellationToken.None);
                foreach (var run in runs!)
                {
                    handedOut.Add(($"worker-{w}", run.FlowRun.Id));
                }

                empty = runs.Count == 0 ? empty + 1 : 0;
            }
        })).ToList();
        await Task.WhenAll(workers);

        var ids = handedOut.Select(h => h.Run).ToList();
        Assert.Equal(200, ids.Count);
        Assert.Equal(200, ids.Distinct().Count());
        Assert.True(created.ToHashSet().SetEquals(ids));
        Assert.True(handedOut.Select(h => h.Worker).Distinct().Count() > 1, "the race should spread runs over several workers");
    }

    [Fact]
    public async Task GetScheduledFlowRuns_WorkersOnTwoServersOfOnePostgres_EachRunHandedOutExactlyOnce()
    {
        await using var server = await Server.StartAsync(DatabaseKind.Postgres);
        await using var other = await Testing.InProcessServer.StartAsync(server.Database, configure: options => options.BackgroundProcesses = false);
        var deploymentId = Guid.Parse(await server.CreateDeploymentAsync("two-servers"));
        var catalog = new DeploymentCatalog(server.Silo);
        await Parallel.ForEachAsync(Enumerable.Range(0, 100), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await catalog.CreateFlowRunAsync(deploymentId, new DeploymentRunRequest { Name = $"run-{i}" }, ct));

        WorkPoolCatalog[] silos = [new(server.Silo), new(other.Silo)];
        var handedOut = new ConcurrentBag<Guid>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var empty = 0;
            while (empty < 3)
            {
                var runs = await silos[w % 2].GetScheduledFlowRunsAsync("two-servers", null, null, 5, $"worker-{w}", CancellationToken.None);
                foreach (var run in runs!)
                {
                    handedOut.Add(run.FlowRun.Id);
                }

                empty = runs.Count == 0 ? empty + 1 : 0;
            }
        })));

        Assert.Equal(100, handedOut.Count);
        Assert.Equal(100, handedOut.Distinct().Count());
    }
}
