using System.Text.Json;
using OrleansFlow.Results;

namespace OrleansFlow.Sdk.Tests.Results;

/// <summary>A result reference comes from the server: the SDK reads only files inside its own result storage folder.</summary>
public sealed class ResultStoreTests
{
    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("../storage-elsewhere/x")]
    public async Task LoadAsync_StorageKeyOutsideTheFolder_IsRefusedUnread(string key)
    {
        var data = JsonSerializer.SerializeToElement(new { type = "reference", storage_key = key });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ResultStore.LoadAsync<string>(data));

        Assert.Contains("outside the result storage folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_StorageKeyTheSdkWrote_ReadsIt()
    {
        var data = await ResultStore.PersistAsync("forty-two", typeof(string));
        try
        {
            Assert.Equal("forty-two", await ResultStore.LoadAsync<string>(data));
        }
        finally
        {
            File.Delete(data.GetProperty("storage_key").GetString()!);
        }
    }
}
