using System.Net;
using Polly;
using Polly.Retry;

namespace OrleansFlow.Client;

/// <summary>Tries a call again when the server did not process it: no connection could be made (a restarting server), or
/// it answered 429 or 503. Other failures, and answers the server produced, are never repeated, so a POST is not applied
/// twice. Built on a Polly retry pipeline with linear back-off; cancellation stops the waiting at once.</summary>
public sealed class TransientRetryHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Creates the handler with the retry settings of <paramref name="options"/>.</summary>
    public TransientRetryHandler(OrleansFlowClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pipeline = options.MaxRetries <= 0
            ? ResiliencePipeline<HttpResponseMessage>.Empty
            : new ResiliencePipelineBuilder<HttpResponseMessage>()
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = options.MaxRetries,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Linear,
                    UseJitter = false,
                    ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                        .Handle<HttpRequestException>(e => e.StatusCode is null && e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
                        .HandleResult(r => r.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests),
                    OnRetry = args =>
                    {
                        // The answer that is retried is not handed to anyone: release its connection.
                        args.Outcome.Result?.Dispose();
                        return default;
                    },
                })
                .Build();
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.BaseSend(state.Request, token)),
            (Handler: this, Request: request),
            cancellationToken).ConfigureAwait(false);

    private Task<HttpResponseMessage> BaseSend(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
