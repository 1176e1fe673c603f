namespace OrleansFlow.Gateway.Api;

/// <summary>Memorable random run names (<c>adjective-animal</c>), as Prefect gives runs that a client did not name.</summary>
internal static class RunNames
{
    private static readonly string[] Adjectives =
    [
        "agile", "amber", "brave", "bright", "calm", "clever", "cosmic", "crimson", "daring", "eager", "enigmatic",
        "fancy", "gentle", "golden", "happy", "hidden", "jolly", "keen", "lively", "lucky", "mellow", "nimble",
        "noble", "proud", "quick", "quiet", "rapid", "silver", "smart", "steady", "swift", "tidy", "vivid", "witty",
    ];

    private static readonly string[] Animals =
    [
        "badger", "beaver", "bison", "cheetah", "crane", "dingo", "dolphin", "eagle", "falcon", "ferret", "gecko",
        "heron", "ibex", "jaguar", "koala", "lemur", "lynx", "marmot", "mole", "narwhal", "otter", "owl", "panda",
        "puffin", "quail", "raven", "salmon", "seal", "tapir", "toucan", "walrus", "wombat", "yak", "zebra",
    ];

    public static string Next() =>
        $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}-{Animals[Random.Shared.Next(Animals.Length)]}";
}
