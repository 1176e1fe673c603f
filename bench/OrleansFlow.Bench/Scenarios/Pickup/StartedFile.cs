using System.Globalization;

namespace OrleansFlow.Bench.Scenarios.Pickup;

/// <summary>Reads the lines the benchmark's flow appends ("run-id main-start-ticks flow-start-ticks") as they come.</summary>
internal sealed class StartedFile(string path)
{
    private readonly Dictionary<Guid, (long MainStart, long FlowStart)> _seen = [];
    private long _offset;

    /// <summary>Waits (checking every 2 ms) until the run's line is there.</summary>
    public async Task<(long MainStart, long FlowStart)> WaitForAsync(Guid run, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ReadNew();
            if (_seen.TryGetValue(run, out var started))
            {
                return started;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The flow of run {run} did not start within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(2);
        }
    }

    private void ReadNew()
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= _offset)
        {
            return;
        }

        stream.Position = _offset;
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var complete = text.LastIndexOf('\n');
        if (complete < 0)
        {
            return;
        }

        _offset += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, complete + 1));
        foreach (var line in text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            _seen[Guid.Parse(parts[0])] = (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
        }
    }
}
