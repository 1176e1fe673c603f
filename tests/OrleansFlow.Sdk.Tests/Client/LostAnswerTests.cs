using System.Net;
using OrleansFlow.Client;
using OrleansFlow.Sdk.Tests.Infrastructure;

namespace OrleansFlow.Sdk.Tests.Client;

/// <summary>The typed client sends a <c>set_state</c> again when its answer is lost after the server applied it (the
/// connection broke on the way back). The transition id makes the copy a duplicate: the run moves once and the caller
/// gets the answer the first copy had.</summary>
public sealed class LostAnswerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SetState_AnswerLostAfterTheServerAppliedIt_IsSentAgainAndAppliedOnce(bool postgres)
    {
        await using var server = await SdkServer.StartAsync(postgres);
        var losing = new LoseFirstAnswer("/set_state") { InnerHandler = new SocketsHttpHandler() };
        var options = new OrleansFlowClientOptions { ApiUrl = new Uri(server.ApiUrl), RetryDelay = TimeSpan.Zero };
        using var http = new HttpClient(new TransientRetryHandler(options) { InnerHandler = losing });
        OrleansFlowClient.Configure(http, options);
        var api = new OrleansFlowClient(http);

        var flow = await api.CreateFlowAsync(new FlowCreate("lost-answers"));
        var run = await api.CreateFlowRunAsync(new FlowRunCreate { FlowId = flow.Id, State = new StateCreate(StateType.Pending, "Pending") });
        var running = await api.SetFlowRunStateAsync(run.Id, new StateCreate(StateType.Running, "Running"));
        losing.Arm();
        var completed = await api.SetFlowRunStateAsync(run.Id, new StateCreate(StateType.Completed, "Completed"));

        Assert.Equal(2, losing.Sent);
        Assert.Equal(1, losing.Lost);
        Assert.Equal((OrchestrationStatus.Accept, StateType.Completed), (completed.Status, completed.State!.Type));
        Assert.Equal(OrchestrationStatus.Accept, running.Status);
        Assert.Equal(["Pending", "Running", "Completed"], await server.FlowRunStateNamesAsync(run.Id));
    }

    /// <summary>Passes requests to the real server; once armed, throws away the answer of the next matching request after
    /// the server produced it, as a connection reset on the way back would.</summary>
    private sealed class LoseFirstAnswer(string pathEnd) : DelegatingHandler
    {
        private bool _armed;

        public int Sent { get; private set; }

        public int Lost { get; private set; }

        public void Arm()
        {
            _armed = true;
            Sent = 0;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!request.RequestUri!.AbsolutePath.EndsWith(pathEnd, StringComparison.Ordinal) || !_armed)
            {
                return response;
            }

            Sent++;
            if (Lost == 0 && response.StatusCode == HttpStatusCode.Created)
            {
                Lost++;
                response.Dispose();
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The connection closed before the answer arrived (test).");
            }

            return response;
        }
    }
}
