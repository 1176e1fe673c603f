using Microsoft.Extensions.Hosting;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.States;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Silo.Flows;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Silo.Storage;
using OrleansFlow.Testing;

namespace OrleansFlow.Silo.Tests.Cluster;

/// <summary>Task runs created through the gateway tier's Orleans client live on their flow run's silo: three OrleansFlow
/// silos with client gateways on one PostgreSQL database (<see cref="PostgresTestCluster"/>) and a client configured as
/// <c>orleansflow gateway start</c> configures its own (<c>AddOrleansFlowClient</c>). The
/// client sends each grain's calls through one silo chosen by the grain id's bucket, run grains are activated on the silo
/// their first call arrives at, and <see cref="OrleansFlowSilo.NewTaskRunId"/> picks a task-run id in its flow run's
/// bucket, so the task run's calls to its flow run stay in one silo.</summary>
public sealed class TaskRunColocationTests : IAsyncLifetime
{
    private const int Runs = 12;
    private PostgresTestDatabase _database = null!;
    private PostgresTestCluster _cluster = null!;
    private OrleansFlowSilo _client = null!;
    private IHost _clientHost = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        _cluster = await PostgresTestCluster.StartAsync(_database, silos: 3, openGateways: true);
        _client = await OrleansFlowSilo.OpenAsync(new DatabaseOptions { DatabaseUrl = _database.Url, MaxPoolSize = 4 }, options: new SiloOptions
        {
            ClusterId = _cluster.Cluster.Options.ClusterId,
            ServiceId = _cluster.Cluster.Options.ServiceId,
        });
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.AddOrleansFlowClient(_client));
        _clientHost = builder.Build();
        await _clientHost.StartAsync();
        _client.Attach(_clientHost.Services);
    }

    public async Task DisposeAsync()
    {
        await _clientHost.StopAsync();
        _clientHost.Dispose();
        await _client.DisposeAsync();
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ATaskRunCreatedThroughTheClient_IsActivatedOnItsFlowRunsSilo()
    {
        var management = _client.Grains.GetGrain<IManagementGrain>(0);
        var flowId = (await new FlowCatalog(_client).UpsertAsync("colocated", [], default)).Flow.Id;
        var flowRunSilos = new List<SiloAddress>();
        for (var i = 0; i < Runs; i++)
        {
            var (flowRun, created) = await _client.FlowRun(_client.NewId()).CreateAsync(
                new FlowRun { Id = Guid.Empty, Name = $"colocated-{i}", FlowId = flowId }, new ProposedState { Type = StateType.Pending });
            Assert.True(created);
            var taskRun = new TaskRun { Id = Guid.Empty, Name = $"task-{i}", FlowRunId = flowRun.Id, TaskKey = "tasks.colocated", DynamicKey = "0" };
            var (stored, taskCreated) = await _client.TaskRun(_client.NewTaskRunId(flowRun.Id)).CreateAsync(taskRun, new ProposedState { Type = StateType.Pending });
            Assert.True(taskCreated);

            var flowRunSilo = await management.GetActivationAddress(_client.FlowRun(flowRun.Id));
            var taskRunSilo = await management.GetActivationAddress(_client.TaskRun(stored.Id));
            Assert.NotNull(flowRunSilo);
            Assert.Equal(flowRunSilo, taskRunSilo);
            flowRunSilos.Add(flowRunSilo);
        }

        // The flow runs themselves are spread over the silos: the client's buckets go to the gateways in turn.
        Assert.True(flowRunSilos.Distinct().Count() > 1, $"all {Runs} flow runs on {flowRunSilos[0]}");
    }

    [Fact]
    public void ATaskRunIdInItsFlowRunsBucket_IsStillATimeOrderedUuidV7()
    {
        var flowRunId = _client.NewId();
        var before = _client.NewId();

        var id = _client.NewTaskRunId(flowRunId);

        // Time, version and counter (the first 18 characters) are the generator's; only the random tail was drawn again.
        Assert.Equal(7, id.Version);
        Assert.True(string.CompareOrdinal(id.ToString()[..18], before.ToString()[..18]) > 0, $"{id} after {before}");
    }
}
