using OrleansFlow.Grains.ConcurrencyLimits;
using OrleansFlow.Grains.FlowRuns;
using OrleansFlow.Grains.TaskRuns;
using OrleansFlow.Grains.WorkPools;

namespace OrleansFlow.Grains.Hosting;

/// <summary>References to OrleansFlow's grains by the keys the API knows them by.</summary>
public static class GrainFactoryExtensions
{
    /// <summary>The flow-run grain with key <paramref name="id"/> (it need not exist yet).</summary>
    /// <param name="grains">The grain factory.</param>
    /// <param name="id">The flow run's id.</param>
    public static IFlowRunGrain FlowRun(this IGrainFactory grains, Guid id) => GuidKeyed<IFlowRunGrain>.Get(grains, id);

    /// <summary>The task-run grain with key <paramref name="id"/> (it need not exist yet).</summary>
    /// <param name="grains">The grain factory.</param>
    /// <param name="id">The task run's id.</param>
    public static ITaskRunGrain TaskRun(this IGrainFactory grains, Guid id) => GuidKeyed<ITaskRunGrain>.Get(grains, id);

    /// <summary>The work-pool grain of the pool with id <paramref name="id"/>.</summary>
    /// <param name="grains">The grain factory.</param>
    /// <param name="id">The work pool's id.</param>
    public static IWorkPoolGrain WorkPool(this IGrainFactory grains, Guid id) => GuidKeyed<IWorkPoolGrain>.Get(grains, id);

    /// <summary>The grain of the tag concurrency limit of <paramref name="tag"/> (the tag need not have a limit).</summary>
    /// <param name="grains">The grain factory.</param>
    /// <param name="tag">The tag; any string, blank included.</param>
    public static IConcurrencyLimitGrain ConcurrencyLimit(this IGrainFactory grains, string tag)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IConcurrencyLimitGrain>(ConcurrencyLimitGrain.KeyOf(tag));
    }

    /// <summary>Grain references of one Guid-keyed interface. <see cref="IGrainFactory.GetGrain{TGrainInterface}(Guid, string?)"/>
    /// resolves the interface's grain type from its attributes on every call, which the profile of the hot path showed
    /// at about 5% of the server's CPU; the types are resolved once per process here (they follow from the interface and
    /// its one grain class, so every factory of the process resolves them alike: the HTTP endpoints' and the grains')
    /// and each reference is made from its id.</summary>
    private static class GuidKeyed<T> where T : IGrainWithGuidKey
    {
        private static Resolved? _resolved;

        public static T Get(IGrainFactory factory, Guid id)
        {
            ArgumentNullException.ThrowIfNull(factory);
            var resolved = _resolved;
            if (resolved is null)
            {
                var sample = (GrainReference)(object)factory.GetGrain<T>(Guid.Empty);
                resolved = new Resolved(sample.GrainId.Type, sample.InterfaceType);
                _resolved = resolved;
            }

            return (T)factory.GetGrain(GrainId.Create(resolved.Grain, GrainIdKeyExtensions.CreateGuidKey(id)), resolved.Interface);
        }

        private sealed record Resolved(GrainType Grain, GrainInterfaceType Interface);
    }
}
