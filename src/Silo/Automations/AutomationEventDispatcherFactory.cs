using Microsoft.Extensions.DependencyInjection;
using OrleansFlow.Grains.Automations;
using OrleansFlow.Silo.Runtime;

namespace OrleansFlow.Silo.Automations;

/// <summary>Makes the dispatcher grain's <see cref="AutomationDispatcher"/> over the silo's <see cref="IAutomationEventSource"/>
/// (none on a silo that has no event source).</summary>
internal sealed class AutomationEventDispatcherFactory(OrleansFlowSilo silo, IServiceProvider services) : IAutomationEventDispatcherFactory
{
    public IAutomationEventDispatcher? Create() =>
        services.GetService<IAutomationEventSource>() is { } source ? new AutomationDispatcher(silo, source) : null;
}
