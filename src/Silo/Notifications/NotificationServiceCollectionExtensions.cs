using System.Net.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Notifications;

/// <summary>Registers <see cref="NotificationSender"/>.</summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>Adds <see cref="NotificationSender"/> (a singleton over the registered <see cref="OrleansFlowSilo"/>)
    /// and its two HTTP clients (<see cref="NotificationSender.HttpClientName"/>, and
    /// <see cref="NotificationSender.InsecureHttpClientName"/> that skips certificate checks for blocks with
    /// <c>verify: false</c>). Calling it again changes nothing.</summary>
    /// <param name="services">The services; an <see cref="OrleansFlowSilo"/> must be registered by the time the sender is resolved.</param>
    /// <param name="options">Timeouts and retries; <see cref="NotificationOptions.Default"/> when null.</param>
    public static IServiceCollection AddOrleansFlowNotifications(this IServiceCollection services, NotificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(NotificationSender)))
        {
            return services;
        }

        // Redirects are not followed: a webhook that answers 3xx is reported, not chased to another host.
        services.AddHttpClient(NotificationSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddHttpClient(NotificationSender.InsecureHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
            });
        services.TryAddSingleton(sp => new NotificationSender(sp.GetRequiredService<OrleansFlowSilo>(), sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<ILogger<NotificationSender>>(), options));
        return services;
    }
}
