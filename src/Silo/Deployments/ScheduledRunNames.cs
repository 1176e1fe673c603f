using System.Globalization;

namespace OrleansFlow.Silo.Deployments;

/// <summary>Names of auto-scheduled runs: Prefect-style adjective-animal pairs, chosen from the deployment and the due
/// time so that a retried tick names a run the same way.</summary>
internal static class ScheduledRunNames
{
    private static readonly string[] Adjectives =
    [
        "amber", "brave", "calm", "daring", "eager", "fancy", "gentle", "happy", "icy", "jolly", "keen", "lively",
        "merry", "nimble", "olive", "proud", "quick", "rapid", "silent", "tidy", "urban", "vivid", "witty", "zesty",
    ];

    private static readonly string[] Animals =
    [
        "alpaca", "badger", "camel", "dingo", "eagle", "ferret", "gecko", "heron", "ibis", "jackal", "koala", "lemur",
        "marmot", "newt", "otter", "panda", "quail", "raven", "seal", "tapir", "urchin", "vole", "walrus", "yak",
    ];

    public static string For(Guid deploymentId, DateTimeOffset time)
    {
        var hash = 2166136261u;
        foreach (var b in deploymentId.ToByteArray().Concat(BitConverter.GetBytes(time.UtcTicks)))
        {
            hash = (hash ^ b) * 16777619u;
        }

        var adjective = Adjectives[(int)(hash % (uint)Adjectives.Length)];
        var animal = Animals[(int)(hash / (uint)Adjectives.Length % (uint)Animals.Length)];
        return string.Create(CultureInfo.InvariantCulture, $"{adjective}-{animal}-{time.UtcDateTime:yyyyMMddHHmm}");
    }
}
