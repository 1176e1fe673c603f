using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansFlow.Client;

/// <summary>Registers <see cref="OrleansFlowClient"/> as a typed client of <c>IHttpClientFactory</c>.</summary>
public static class OrleansFlowClientServiceCollectionExtensions
{
    /// <summary>Adds <see cref="OrleansFlowClient"/> (transient, over a pooled handler from <c>IHttpClientFactory</c>) with
    /// <see cref="TransientRetryHandler"/> in front. Settings come from <see cref="OrleansFlowClientOptions"/>: bind them
    /// with <c>services.Configure&lt;OrleansFlowClientOptions&gt;(configuration.GetSection("OrleansFlow:Client"))</c> or
    /// set them in <paramref name="configure"/>.</summary>
    /// <returns>The client's builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddOrleansFlowClient(this IServiceCollection services, Action<OrleansFlowClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OrleansFlowClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services
            .AddHttpClient<OrleansFlowClient>((provider, http) =>
                OrleansFlowClient.Configure(http, provider.GetRequiredService<IOptions<OrleansFlowClientOptions>>().Value))
            .AddHttpMessageHandler(provider => new TransientRetryHandler(provider.GetRequiredService<IOptions<OrleansFlowClientOptions>>().Value));
    }
}
