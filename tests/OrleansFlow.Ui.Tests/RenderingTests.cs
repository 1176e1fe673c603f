using System.Text.Json;
using OrleansFlow.Ui.Rendering;

namespace OrleansFlow.Ui.Tests;

public sealed class RenderingTests
{
    [Fact]
    public void SafeMarkdown_HtmlAndScriptInSource_AreEncodedNotMarkup()
    {
        var html = SafeMarkdown.ToHtml("# Title\n\n<img src=x onerror=alert(1)> **bold** <script>x()</script>");

        Assert.Contains("<h2>Title</h2>", html);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Theory]
    [InlineData(1, "0 1")]
    [InlineData(2, "0 1 2")]
    [InlineData(5, "0 2 5")]
    [InlineData(10, "0 5 10")]
    public void ChartAxis_CountTicks_AreDistinctWholeCounts(double max, string expected) =>
        Assert.Equal(expected, string.Join(" ", ChartAxis.CountTicks(max).Select(ChartAxis.N)));

    [Theory]
    [InlineData(1, "0 1")]
    [InlineData(10, "0 5 10")]
    public void ChartAxis_Ticks_DropAMiddleWhoseLabelRepeats(double max, string expected)
    {
        static string Whole(double v) => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture);

        var ticks = ChartAxis.Ticks(max, Whole);

        Assert.Equal(expected, string.Join(" ", ticks.Select(Whole)));
    }

    [Fact]
    public void SafeMarkdown_Links_KeepOnlySafeTargets()
    {
        var html = SafeMarkdown.ToHtml("[ok](https://example.com/a?b=1&c=2) [no](javascript:alert(1)) [rel](/runs)");

        Assert.Contains("href=\"https://example.com/a?b=1&amp;c=2\"", html);
        Assert.Contains("href=\"/runs\"", html);
        Assert.DoesNotContain("javascript:", html);
    }

    [Theory]
    [InlineData("[x](//evil.example/a)")]
    [InlineData("[x](/\\evil.example/a)")]
    [InlineData("[x](/\t/evil.example)")]
    public void SafeMarkdown_LinkLeavingTheSiteByARelativeForm_IsNotALink(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("href", html, StringComparison.Ordinal);
    }

    [Fact]
    public void SafeMarkdown_PipeTableAndLists_RenderAsTableAndLists()
    {
        var html = SafeMarkdown.ToHtml("| a | b |\n|---|---|\n| 1 | 2 |\n\n- x\n- y\n\n1. one");

        Assert.Contains("<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>", html);
        Assert.Contains("<ul>\n<li>x</li>\n<li>y</li>\n</ul>", html);
        Assert.Contains("<ol>\n<li>one</li>\n</ol>", html);
    }

    [Theory]
    [InlineData("\"[{\\\"a\\\": 1, \\\"b\\\": \\\"x\\\"}, {\\\"a\\\": 2}]\"", "a,b", "1|x;2|")]
    [InlineData("\"{\\\"a\\\": [1, 2], \\\"b\\\": [\\\"x\\\"]}\"", "a,b", "1|x;2|")]
    [InlineData("[[1, 2], [3]]", "1,2", "1|2;3")]
    public void ArtifactTable_PrefectTableShapes_BecomeColumnsAndRows(string json, string columns, string rows)
    {
        var table = ArtifactTable.Parse(JsonDocument.Parse(json).RootElement);

        Assert.NotNull(table);
        Assert.Equal(columns, string.Join(",", table.Columns));
        Assert.Equal(rows, string.Join(";", table.Rows.Select(r => string.Join("|", r))));
    }

    [Fact]
    public void RunListQuery_FromQueryString_BuildsFilterAndRoundTripsUrl()
    {
        var query = RunListQuery.From(["failed,CRASHED", "bogus"], " etl ", "prod", null, "24h", "NAME_ASC", 3);
        var now = DateTimeOffset.Parse("2026-11-22T12:00:00Z");

        var filter = query.ToFilter(now, paged: true);

        Assert.Equal("[\"FAILED\",\"CRASHED\"]", filter.GetProperty("flow_runs").GetProperty("state").GetProperty("type").GetProperty("any_").GetRawText());
        Assert.Equal("etl", filter.GetProperty("flows").GetProperty("name").GetProperty("like_").GetString());
        Assert.Equal("2026-11-21T12:00:00.0000000Z", filter.GetProperty("flow_runs").GetProperty("expected_start_time").GetProperty("after_").GetString());
        Assert.Equal("2026-11-22T12:00:00.0000000Z", filter.GetProperty("flow_runs").GetProperty("expected_start_time").GetProperty("before_").GetString());
        Assert.Equal(50, filter.GetProperty("offset").GetInt32());
        Assert.Equal(RunListQuery.PageSize, filter.GetProperty("limit").GetInt32());
        Assert.Equal("/runs?state=FAILED&state=CRASHED&flow=etl&tag=prod&range=24h&sort=NAME_ASC&page=3", query.Url());
        Assert.False(query.ToFilter(now, paged: false).TryGetProperty("limit", out _));
    }
}
