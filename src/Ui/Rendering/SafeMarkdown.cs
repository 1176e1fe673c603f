using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace OrleansFlow.Ui.Rendering;

/// <summary>A small Markdown subset rendered to HTML that cannot carry script: every character of the source is
/// HTML-encoded first, and only the markup this class adds is HTML. Links keep only http(s), relative and mailto targets.
/// Supported: headings (one level down, so a page keeps one h1), paragraphs, bullet and numbered lists, fenced code, inline code, bold, italics, links, pipe tables.</summary>
internal static partial class SafeMarkdown
{
    public static string ToHtml(string? markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return "";
        }

        var html = new StringBuilder();
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var paragraph = new List<string>();
        string? list = null;

        void FlushParagraph()
        {
            if (paragraph.Count > 0)
            {
                html.Append("<p>").Append(Inline(string.Join(" ", paragraph))).Append("</p>\n");
                paragraph.Clear();
            }
        }

        void CloseList()
        {
            if (list is not null)
            {
                html.Append("</").Append(list).Append(">\n");
                list = null;
            }
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                FlushParagraph();
                CloseList();
                var code = new StringBuilder();
                for (i++; i < lines.Length && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal); i++)
                {
                    code.Append(lines[i]).Append('\n');
                }

                html.Append("<pre><code>").Append(WebUtility.HtmlEncode(code.ToString())).Append("</code></pre>\n");
                continue;
            }

            if (trimmed.StartsWith('|') && i + 1 < lines.Length && SeparatorRow().IsMatch(lines[i + 1].Trim()))
            {
                FlushParagraph();
                CloseList();
                html.Append("<table><thead><tr>");
                foreach (var cell in Cells(trimmed))
                {
                    html.Append("<th>").Append(Inline(cell)).Append("</th>");
                }

                html.Append("</tr></thead><tbody>");
                for (i += 2; i < lines.Length && lines[i].Trim().StartsWith('|'); i++)
                {
                    html.Append("<tr>");
                    foreach (var cell in Cells(lines[i].Trim()))
                    {
                        html.Append("<td>").Append(Inline(cell)).Append("</td>");
                    }

                    html.Append("</tr>");
                }

                i--;
                html.Append("</tbody></table>\n");
                continue;
            }

            if (trimmed.Length == 0)
            {
                FlushParagraph();
                CloseList();
                continue;
            }

            var heading = Heading().Match(trimmed);
            if (heading.Success)
            {
                FlushParagraph();
                CloseList();
                // One level down: the page's own title is the only h1.
                var level = Math.Min(6, heading.Groups[1].Value.Length + 1);
                html.Append("<h").Append(level).Append('>').Append(Inline(heading.Groups[2].Value)).Append("</h").Append(level).Append(">\n");
                continue;
            }

            var bullet = Bullet().Match(trimmed);
            var numbered = Numbered().Match(trimmed);
            if (bullet.Success || numbered.Success)
            {
                FlushParagraph();
                var kind = bullet.Success ? "ul" : "ol";
                if (list != kind)
                {
                    CloseList();
                    html.Append('<').Append(kind).Append(">\n");
                    list = kind;
                }

                html.Append("<li>").Append(Inline((bullet.Success ? bullet : numbered).Groups[1].Value)).Append("</li>\n");
                continue;
            }

            CloseList();
            paragraph.Add(trimmed);
        }

        FlushParagraph();
        CloseList();
        return html.ToString();
    }

    private static IEnumerable<string> Cells(string row) => row.Trim('|').Split('|').Select(c => c.Trim());

    private static string Inline(string text)
    {
        var encoded = WebUtility.HtmlEncode(text);
        encoded = Code().Replace(encoded, "<code>$1</code>");
        encoded = Bold().Replace(encoded, "<strong>$1</strong>");
        encoded = Italic().Replace(encoded, "<em>$1</em>");
        return Link().Replace(encoded, match =>
        {
            var target = WebUtility.HtmlDecode(match.Groups[2].Value);
            // Browsers drop tabs and newlines inside a URL and read "\" as "/", so "/\evil", "/\t/evil" and "//evil" all
            // leave the site: a relative target must be one path, with no control characters anywhere.
            var safe = !target.Any(char.IsControl) && (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
                || (target.StartsWith('/') && !target.StartsWith("//", StringComparison.Ordinal) && !target.StartsWith("/\\", StringComparison.Ordinal))
                || target.StartsWith('#'));
            return safe ? $"<a href=\"{WebUtility.HtmlEncode(target)}\" rel=\"noopener noreferrer\">{match.Groups[1].Value}</a>" : match.Groups[1].Value;
        });
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[-*+]\s+(.*)$")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^\d+[.)]\s+(.*)$")]
    private static partial Regex Numbered();

    [GeneratedRegex(@"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")]
    private static partial Regex SeparatorRow();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"(?<![*\w])\*([^*]+)\*(?![*\w])")]
    private static partial Regex Italic();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")]
    private static partial Regex Link();
}
