using System.Net;

namespace OrleansFlow.Ui.Endpoints;

/// <summary>Bounds the live streams of the run pages (each polls the database): at most <see cref="MaxPerClient"/> open
/// at once from one client address, and <see cref="MaxTotal"/> in all. A stream over either bound is refused (429), so
/// thousands of tabs or a script cannot slow the server for everyone.</summary>
internal sealed class UiStreamLimits
{
    /// <summary>Streams one client address may hold open: 16 (a person with many tabs).</summary>
    public const int MaxPerClient = 16;

    /// <summary>Streams the server holds open in all: 500.</summary>
    public const int MaxTotal = 500;

    private readonly Dictionary<IPAddress, int> _perClient = [];
    private readonly Lock _lock = new();
    private int _total;

    /// <summary>A hold on one stream for <paramref name="client"/>, released on dispose; null when a bound is reached.</summary>
    public IDisposable? TryOpen(IPAddress? client)
    {
        var key = client ?? IPAddress.None;
        lock (_lock)
        {
            var open = _perClient.GetValueOrDefault(key);
            if (_total >= MaxTotal || open >= MaxPerClient)
            {
                return null;
            }

            _perClient[key] = open + 1;
            _total++;
        }

        return new Hold(this, key);
    }

    private void Close(IPAddress key)
    {
        lock (_lock)
        {
            _total--;
            if (_perClient[key] <= 1)
            {
                _perClient.Remove(key);
            }
            else
            {
                _perClient[key]--;
            }
        }
    }

    private sealed class Hold(UiStreamLimits limits, IPAddress key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                limits.Close(key);
            }
        }
    }
}
