using System.Net;
using Polly;
using Polly.Retry;

namespace OrleansFlow.Client;

/// <summary>Tries a call again when the server did not process it: no connection could be made (a restarting server), or
/// it answered 429 or 503. Other failures, and answers the server produced, are never repeated, so a POST is not applied
/// twice, except for a request marked <see cref="Replayable"/> (one the server applies once however often it arrives, such
/// as a <c>set_state</c> carrying a transition id): that one is also sent again when its answer was lost (the connection
/// broke after it was sent). Built on Polly retry pipelines with linear back-off; cancellation stops the waiting at once.</summary>
public sealed class TransientRetryHandler : DelegatingHandler
{
    /// <summary>The request option that marks a request as safe to send again after its answer was lost.</summary>
    public static readonly HttpRequestOptionsKey<bool> Replayable = new("OrleansFlow.Replayable");

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ResiliencePipeline<HttpResponseMessage> _replayablePipeline;

    /// <summary>Creates the handler with the retry settings of <paramref name="options"/>.</summary>
    public TransientRetryHandler(OrleansFlowClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pipeline = Build(options, e => e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError);
        _replayablePipeline = Build(options, _ => true);
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await (request.Options.TryGetValue(Replayable, out var replayable) && replayable ? _replayablePipeline : _pipeline).ExecuteAsync(
            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.BaseSend(state.Request, token)),
            (Handler: this, Request: request),
            cancellationToken).ConfigureAwait(false);

    private static ResiliencePipeline<HttpResponseMessage> Build(OrleansFlowClientOptions options, Func<HttpRequestException, bool> transportFailure) =>
        options.MaxRetries <= 0
            ? ResiliencePipeline<HttpResponseMessage>.Empty
            : new ResiliencePipelineBuilder<HttpResponseMessage>()
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = options.MaxRetries,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Linear,
                    UseJitter = false,
                    ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                        .Handle<HttpRequestException>(e => e.StatusCode is null && transportFailure(e))
                        .HandleResult(r => r.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests),
                    OnRetry = args =>
                    {
                        // The answer that is retried is not handed to anyone: release its connection.
                        args.Outcome.Result?.Dispose();
                        return default;
                    },
                })
                .Build();

    private Task<HttpResponseMessage> BaseSend(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
