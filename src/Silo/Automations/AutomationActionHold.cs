using System.Globalization;
using OrleansFlow.Grains.Automations;

namespace OrleansFlow.Silo.Automations;

/// <summary>A test hook, off unless the environment variable <see cref="Variable"/> names a file: it lets a test kill a
/// silo at the one moment that matters for a firing, after an action did its work (a run-deployment created its run)
/// and before the firing's row records the result. With the variable set, the first action that reaches
/// <see cref="AfterActionAsync"/> in any process given the same path claims the file (created by an atomic, exclusive
/// rename, so it is complete when it appears), writes its process id, the firing's id and the action's index in it
/// (one per line), and then never returns: its grain turn hangs until the test kills the process. Every later action, in
/// any process, finds the file there and goes on. Servers never set it; the variable is read once per process.</summary>
internal static class AutomationActionHold
{
    /// <summary>The environment variable naming the hold's file: <c>ORLEANSFLOW_TEST_HOLD_AFTER_ACTION</c>.</summary>
    public const string Variable = "ORLEANSFLOW_TEST_HOLD_AFTER_ACTION";

    private static readonly string? HoldFile = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;

    /// <summary>Called between an action's work and the write of its result; completes at once unless the hold is on.</summary>
    public static Task AfterActionAsync(AutomationFiring firing, AutomationActionResult result) =>
        HoldFile is null ? Task.CompletedTask : HoldAsync(HoldFile, firing, result);

    private static async Task HoldAsync(string path, AutomationFiring firing, AutomationActionResult result)
    {
        var claim = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllLinesAsync(claim, [Environment.ProcessId.ToString(CultureInfo.InvariantCulture), firing.Id.ToString(),
            result.Index.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        try
        {
            File.Move(claim, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Held once already (by this process or another): go on.
            File.Delete(claim);
            return;
        }

        await Task.Delay(Timeout.Infinite).ConfigureAwait(false);
    }
}
