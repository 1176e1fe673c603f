namespace OrleansFlow.Grains.Automations;

/// <summary>The object an action applies to: selected by id in the action, or inferred from the triggering event
/// (Prefect's <c>source</c>: <c>selected</c> or <c>inferred</c>).</summary>
public enum ActionSource
{
    /// <summary>The action names its object by id.</summary>
    Selected,

    /// <summary>The object is the first resource of its kind on the triggering event.</summary>
    Inferred,
}
