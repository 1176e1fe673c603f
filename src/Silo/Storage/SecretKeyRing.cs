using System.Security.Cryptography;
using System.Text;

namespace OrleansFlow.Silo.Storage;

/// <summary>The keys that seal secret values at rest (AES-256-GCM): one current key that seals, and the previous keys
/// that still open what they sealed, so a key can be rotated without a window in which secrets cannot be read.</summary>
/// <remarks>A sealed value is the text <c>ofsecret:v1:{key id}:{base64(nonce ‖ tag ‖ ciphertext)}</c>; the key id is
/// the first 8 hex digits of the SHA-256 of the key, so a value names the key that opens it and no key is stored
/// beside the data. The current key comes from <see cref="DatabaseOptions.SecretsKey"/>, else from
/// <see cref="DatabaseOptions.SecretsKeyFile"/>, a file created with mode 0600 holding a random key on first start.</remarks>
public sealed class SecretKeyRing
{
    /// <summary>What every sealed value starts with.</summary>
    public const string Prefix = "ofsecret:v1:";

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _current;
    private readonly Dictionary<string, byte[]> _byId;

    private SecretKeyRing(byte[] current, IEnumerable<byte[]> previous)
    {
        _current = current;
        CurrentKeyId = KeyId(current);
        _byId = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [CurrentKeyId] = current };
        foreach (var key in previous)
        {
            _byId.TryAdd(KeyId(key), key);
        }
    }

    /// <summary>The id of the key that seals (8 hex digits); safe to log.</summary>
    public string CurrentKeyId { get; }

    /// <summary>A key ring of explicit keys (tests, tools).</summary>
    /// <exception cref="ArgumentException">A key is not 32 bytes.</exception>
    public static SecretKeyRing Of(byte[] current, params byte[][] previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        foreach (var key in previous.Prepend(current))
        {
            if (key.Length != 32)
            {
                throw new ArgumentException("A secrets key is 32 bytes (AES-256).", nameof(current));
            }
        }

        return new SecretKeyRing(current, previous);
    }

    /// <summary>The key ring the options configure; creates the key file (0600, in a 0700 folder it creates) when no key
    /// is configured and the file does not exist yet.</summary>
    /// <exception cref="InvalidOperationException">A configured key is not the base64 text of 32 bytes, or the key file
    /// cannot be read or holds no such key; the message names the setting.</exception>
    public static SecretKeyRing Load(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var previous = options.PreviousSecretsKeys.Select(k => Parse(k, "ORLEANSFLOW_SECRETS_PREVIOUS_KEYS (DatabaseOptions.PreviousSecretsKeys)")).ToArray();
        if (!string.IsNullOrWhiteSpace(options.SecretsKey))
        {
            return new SecretKeyRing(Parse(options.SecretsKey, "ORLEANSFLOW_SECRETS_KEY (DatabaseOptions.SecretsKey)"), previous);
        }

        var path = options.SecretsKeyFile ?? Path.Combine(options.Home, "secrets.key");
        if (!File.Exists(path))
        {
            CreateKeyFile(path);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The secrets key file '{path}' cannot be read: {ex.Message}", ex);
        }

        return new SecretKeyRing(Parse(text, $"the secrets key file '{path}'"), previous);
    }

    /// <summary>A new random key as the base64 text the options take.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>True when <paramref name="text"/> is a sealed value.</summary>
    public static bool IsSealed(string? text) => text is not null && text.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The id of the key that sealed <paramref name="sealedText"/>, or null when it is not a sealed value.</summary>
    public static string? KeyIdOf(string sealedText) =>
        IsSealed(sealedText) && sealedText.IndexOf(':', Prefix.Length) is var end and > 0 ? sealedText[Prefix.Length..end] : null;

    /// <summary>Seals <paramref name="plaintext"/> with the current key (a fresh nonce each time).</summary>
    public string Seal(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var input = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + input.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current, TagSize);
        aes.Encrypt(nonce, input, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.ASCII.GetBytes(CurrentKeyId));
        return $"{Prefix}{CurrentKeyId}:{Convert.ToBase64String(output)}";
    }

    /// <summary>Opens a value sealed with the current or a previous key.</summary>
    /// <returns>False when the text is not a sealed value, names a key this ring does not have, or fails its check.</returns>
    public bool TryOpen(string sealedText, out string plaintext)
    {
        plaintext = "";
        if (KeyIdOf(sealedText) is not { } keyId || !_byId.TryGetValue(keyId, out var key))
        {
            return false;
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(sealedText[(Prefix.Length + keyId.Length + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (data.Length < NonceSize + TagSize)
        {
            return false;
        }

        var output = new byte[data.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), output, Encoding.ASCII.GetBytes(keyId));
        }
        catch (CryptographicException)
        {
            return false;
        }

        plaintext = Encoding.UTF8.GetString(output);
        return true;
    }

    private static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];

    private static byte[] Parse(string text, string setting)
    {
        try
        {
            var key = Convert.FromBase64String(text.Trim());
            return key.Length == 32 ? key : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new InvalidOperationException(
                $"{setting} must be the base64 text of 32 random bytes (`orleansflow secrets new-key` prints one).");
        }
    }

    private static void CreateKeyFile(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            PrivateFiles.CreateFolder(folder);
        }

        // Written aside and moved into place, so a process starting at the same moment reads a whole key or none.
        var aside = $"{path}.{Guid.NewGuid():N}.tmp";
        PrivateFiles.WriteNew(aside, NewKey());
        try
        {
            File.Move(aside, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process on the same home created it first: use theirs.
            File.Delete(aside);
        }
    }
}
