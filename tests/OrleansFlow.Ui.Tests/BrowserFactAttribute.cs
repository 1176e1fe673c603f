namespace OrleansFlow.Ui.Tests;

/// <summary>A test that needs Chromium at <see cref="BrowserFixture.ChromiumPath"/>: skipped, saying why, when it is not
/// installed (CI installs it: <c>.ci/run</c>).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(BrowserFixture.ChromiumPath))
        {
            Skip = $"Chromium is not installed at {BrowserFixture.ChromiumPath}: run `apt-get install -y chromium` (.ci/run does) to run the browser tests.";
        }
    }
}
