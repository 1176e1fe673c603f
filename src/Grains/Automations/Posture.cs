namespace OrleansFlow.Grains.Automations;

/// <summary>How an event trigger responds to its events (Prefect's <c>posture</c>; written as <c>Reactive</c> or
/// <c>Proactive</c> on the wire).</summary>
public enum Posture
{
    /// <summary>Fires on the presence of the expected events: <c>threshold</c> of them within <c>within</c> seconds.</summary>
    Reactive,

    /// <summary>Fires on their absence: fewer than <c>threshold</c> expected events within <c>within</c> seconds (after an
    /// <c>after</c> event, when the trigger has one).</summary>
    Proactive,
}
