using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace OrleansFlow.Gateway.Hosting;

/// <summary>The Orleans Dashboard, started after the server answers its first requests instead of before.</summary>
public static class DeferredDashboard
{
    /// <summary>Adds the Orleans Dashboard (<c>AddDashboard</c>) but moves its start-up work (activating its grain,
    /// calling its silo grain service, starting its metrics reader: about 0.2 s of a cold start) from the silo's
    /// <c>BecomeActive</c> stage to just after the server has started. Its grain service, profiler and logger are
    /// unchanged; until that work is done the dashboard's grain is activated by its first call, as Orleans does when the
    /// start-up activation fails.</summary>
    public static ISiloBuilder AddDeferredDashboard(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var before = services.Count;
        builder.AddDashboard();
        for (var i = before; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ImplementationFactory is not { } factory || descriptor.IsKeyedService)
            {
                continue;
            }

            if (descriptor.ServiceType == typeof(ILifecycleParticipant<ISiloLifecycle>))
            {
                // The dashboard's host is both a silo lifecycle participant and a hosted service: it takes part in the
                // lifecycle no more, and starts as a hosted service after the server (below).
                services[i] = ServiceDescriptor.Singleton(typeof(ILifecycleParticipant<ISiloLifecycle>),
                    provider => factory(provider) is var participant && IsDashboardHost(participant) ? NoParticipation.Instance : participant);
            }
            else if (descriptor.ServiceType == typeof(IHostedService))
            {
                services[i] = ServiceDescriptor.Singleton(typeof(IHostedService), provider => factory(provider) is var service && IsDashboardHost(service)
                    ? StartAfterServer.Wrap(provider, (IHostedService)service, "Orleans Dashboard")
                    : service);
            }
        }

        return builder;
    }

    private static bool IsDashboardHost(object service) =>
        service is IHostedService && service.GetType().Assembly == typeof(DashboardOptions).Assembly;

    private sealed class NoParticipation : ILifecycleParticipant<ISiloLifecycle>
    {
        public static readonly NoParticipation Instance = new();

        public void Participate(ISiloLifecycle lifecycle)
        {
        }
    }
}
