namespace OrleansFlow.Testing;

/// <summary>Uniquely named folders under the system temp folder: <c>{prefix}-{owner pid}-{random}</c>.</summary>
internal static class TempFolder
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..16]}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a folder and everything in it; a folder that is already gone is fine.</summary>
    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
