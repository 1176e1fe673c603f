namespace OrleansFlow.Silo.Storage;

/// <summary>Files only their owner may read: the SQLite database and the secrets key are created 0600 in folders created
/// 0700 (on Unix; Windows keeps its default ACLs, which are per-user under the profile).</summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="folder"/> (and missing parents) with mode 0700; an existing folder is left as it is.</summary>
    public static void CreateFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerFolder);
        }
    }

    /// <summary>Creates an empty file with mode 0600 when none exists (SQLite then opens it as a new database; its
    /// <c>-wal</c> and <c>-shm</c> files take the database file's mode).</summary>
    public static void Touch(string path)
    {
        try
        {
            using var _ = Open(path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // It exists: another process created it, or it was there already.
        }
    }

    /// <summary>Creates <paramref name="path"/> with mode 0600 holding <paramref name="text"/>.</summary>
    /// <exception cref="IOException">The file exists already.</exception>
    public static void WriteNew(string path, string text)
    {
        using var stream = Open(path);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    private static FileStream Open(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerFile;
        }

        return new FileStream(path, options);
    }
}
