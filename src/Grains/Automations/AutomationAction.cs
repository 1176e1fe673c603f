namespace OrleansFlow.Grains.Automations;

/// <summary>What an automation does when it fires (Prefect 3's actions; <see cref="Type"/> is the wire <c>type</c>).</summary>
public abstract record AutomationAction
{
    /// <summary>The wire <c>type</c>, e.g. <c>run-deployment</c>.</summary>
    public abstract string Type { get; }
}
