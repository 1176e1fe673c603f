using System.Text;

namespace OrleansFlow.Bench.Scenarios;

/// <summary>A worker's reusable buffer for response bodies: read whole, without allocating per response (it grows by
/// doubling when a body does not fit).</summary>
internal sealed class ResponseBuffer
{
    private byte[] _bytes = new byte[16 * 1024];

    /// <summary>The length of the last body read.</summary>
    public int Length { get; private set; }

    /// <summary>The last body read.</summary>
    public ReadOnlySpan<byte> Body => _bytes.AsSpan(0, Length);

    /// <summary>Reads <paramref name="content"/> to its end into the buffer.</summary>
    public async Task ReadAsync(HttpContent content)
    {
        Length = 0;
        await using var stream = await content.ReadAsStreamAsync();
        while (true)
        {
            if (Length == _bytes.Length)
            {
                Array.Resize(ref _bytes, _bytes.Length * 2);
            }

            var read = await stream.ReadAsync(_bytes.AsMemory(Length));
            if (read == 0)
            {
                return;
            }

            Length += read;
        }
    }

    /// <summary>The start of the last body as text, at most <paramref name="maxBytes"/> bytes of it.</summary>
    public string Preview(int maxBytes) => Encoding.UTF8.GetString(_bytes, 0, Math.Min(Length, maxBytes));
}
