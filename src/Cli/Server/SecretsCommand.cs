using System.CommandLine;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Cli.Server;

/// <summary><c>orleansflow secrets new-key</c>: a key for sealing secrets at rest (<c>ORLEANSFLOW_SECRETS_KEY</c>).</summary>
internal static class SecretsCommand
{
    public static Command Create()
    {
        var newKey = new Command("new-key",
            "Print a new random key for ORLEANSFLOW_SECRETS_KEY. To rotate: start the servers with the new key as ORLEANSFLOW_SECRETS_KEY and " +
            "the old one in ORLEANSFLOW_SECRETS_PREVIOUS_KEYS; every secret is sealed again with the new key at start, after which the old key can go.");
        newKey.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(SecretKeyRing.NewKey());
            return 0;
        });
        return new Command("secrets", "Keys that seal secrets (block documents' secret fields) at rest.") { newKey };
    }
}
