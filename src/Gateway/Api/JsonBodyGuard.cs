using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OrleansFlow.Gateway.Api;

/// <summary>Checks every JSON request body under <c>/api</c> before an endpoint reads it, for what the endpoints' typed
/// reading would let through and a later read or a database would choke on: strings (values or keys) holding a lone
/// UTF-16 surrogate or the NUL character (PostgreSQL stores neither), and objects naming a key twice. A body that is not
/// valid JSON is left for the endpoint, whose 422 says where it breaks.</summary>
internal static class JsonBodyGuard
{
    /// <summary>Reads the body into memory (Kestrel's size limit applies, so a body over it is a 413), checks it, and
    /// hands the endpoint the copy.</summary>
    /// <exception cref="ApiValidationException">A string or key is not storable text, or a key repeats.</exception>
    public static async Task CheckAsync(HttpContext context)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return;
        }

        var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        buffer.Position = 0;
        request.Body = buffer;
        context.Response.RegisterForDispose(buffer);
        if (buffer.Length > 0 && Find(new ReadOnlySequence<byte>(buffer.GetBuffer(), 0, (int)buffer.Length)) is { } error)
        {
            throw new ApiValidationException([error]);
        }
    }

    /// <summary>The first problem in <paramref name="json"/>, or null when there is none (or it is not valid JSON).</summary>
    internal static ApiError? Find(ReadOnlySequence<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        Advance(frames);
                        frames.Add(new Frame(new HashSet<string>(StringComparer.Ordinal)));
                        break;
                    case JsonTokenType.StartArray:
                        Advance(frames);
                        frames.Add(new Frame(null));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = frames[^1];
                        frame.Key = null;
                        if (Text(ref reader, frames, out var key) is { } keyError)
                        {
                            return keyError;
                        }

                        frame.Key = key;
                        if (!frame.Keys!.Add(key!))
                        {
                            return new ApiError(Location(frames), "duplicate key: a key may appear once in an object", "value_error.duplicate_key");
                        }

                        break;
                    case JsonTokenType.String:
                        Advance(frames);
                        if (Text(ref reader, frames, out _) is { } valueError)
                        {
                            return valueError;
                        }

                        break;
                    default:
                        Advance(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    /// <summary>Inside an array, a value moves the path to the next index.</summary>
    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].Keys is null)
        {
            frames[^1].Index++;
        }
    }

    private static List<object> Location(List<Frame> frames)
    {
        var loc = new List<object> { "body" };
        foreach (var frame in frames)
        {
            if (frame.Keys is null)
            {
                loc.Add(frame.Index);
            }
            else if (frame.Key is not null)
            {
                loc.Add(frame.Key);
            }
        }

        return loc;
    }

    private static ApiError? Text(ref Utf8JsonReader reader, List<Frame> frames, out string? text)
    {
        text = null;
        try
        {
            text = reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return new ApiError(Location(frames), "invalid unicode: a lone surrogate is not text", "value_error.unicode");
        }

        var nul = text!.IndexOf('\0', StringComparison.Ordinal);
        return nul >= 0
            ? new ApiError(Location(frames), string.Create(CultureInfo.InvariantCulture, $"the NUL character (\\u0000, at {nul}) is not allowed in text"), "value_error.unicode")
            : null;
    }

    /// <summary>An object (with the keys seen and the current one) or an array (with the current index) being read.</summary>
    private sealed class Frame(HashSet<string>? keys)
    {
        public HashSet<string>? Keys { get; } = keys;

        public string? Key { get; set; }

        public int Index { get; set; } = -1;
    }
}
