using System.Buffers.Binary;

namespace OrleansFlow.Silo.Runtime;

/// <summary>Time-ordered UUIDv7 ids that also increase strictly within one process, even within one millisecond or
/// under a frozen test clock (a 12-bit counter in <c>rand_a</c>, RFC 9562 method 1). State histories sort by
/// (timestamp, id), so two states written in one millisecond keep their order.</summary>
internal sealed class IdGenerator(TimeProvider clock)
{
    private readonly Lock _lock = new();
    private long _lastMilliseconds = -1;
    private int _counter;

    public Guid Next()
    {
        var milliseconds = clock.GetUtcNow().ToUnixTimeMilliseconds();
        int counter;
        lock (_lock)
        {
            if (milliseconds > _lastMilliseconds)
            {
                _lastMilliseconds = milliseconds;
                _counter = Random.Shared.Next(0, 0x400); // a random start leaves room to count up within the millisecond
            }
            else if (++_counter > 0xFFF)
            {
                _lastMilliseconds++;
                _counter = 0;
            }

            milliseconds = _lastMilliseconds;
            counter = _counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
