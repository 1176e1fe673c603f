namespace OrleansFlow.Grains.Schedules;

/// <summary>The FREQ of a recurrence rule (SECONDLY is not supported: no deployment runs every second).</summary>
public enum RRuleFrequency
{
    /// <summary>Every year.</summary>
    Yearly,

    /// <summary>Every month.</summary>
    Monthly,

    /// <summary>Every week (weeks start on Monday).</summary>
    Weekly,

    /// <summary>Every day.</summary>
    Daily,

    /// <summary>Every hour.</summary>
    Hourly,

    /// <summary>Every minute.</summary>
    Minutely,

    /// <summary>Every second.</summary>
    Secondly,
}
