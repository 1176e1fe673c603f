using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrleansFlow.Silo.Notifications;

/// <summary>The bodies the notification blocks send: Slack's incoming-webhook message, a Teams Adaptive Card, and the
/// custom webhook's <c>{{key}}</c> substitution.</summary>
internal static partial class NotificationPayloads
{
    /// <summary>Slack's incoming-webhook message: <c>{"text": "*subject*\nbody"}</c>, with <c>&amp; &lt; &gt;</c>
    /// escaped as Slack asks.</summary>
    public static JsonObject Slack(string subject, string body)
    {
        var text = string.IsNullOrEmpty(subject) ? SlackEscape(body) : $"*{SlackEscape(subject)}*\n{SlackEscape(body)}";
        return new JsonObject { ["text"] = text };
    }

    /// <summary>A Teams message for a Workflows (Power Automate) webhook: one Adaptive Card attachment with the subject
    /// as a bold title (coloured by the notification type, with its symbol when <paramref name="includeImage"/>) and
    /// the body below it.</summary>
    public static JsonObject Teams(string subject, string body, string notifyType, bool includeImage, bool wrap)
    {
        var (color, symbol) = notifyType switch
        {
            "success" => ("Good", "✅ "),
            "warning" => ("Warning", "⚠️ "),
            "failure" => ("Attention", "❌ "),
            _ => ("Default", "ℹ️ "),
        };
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "TextBlock",
                    ["text"] = (includeImage ? symbol : "") + subject,
                    ["weight"] = "Bolder",
                    ["size"] = "Medium",
                    ["color"] = color,
                    ["wrap"] = wrap,
                },
                new JsonObject { ["type"] = "TextBlock", ["text"] = body, ["wrap"] = wrap }),
            ["msteams"] = new JsonObject { ["width"] = "Full" },
        };
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        };
    }

    /// <summary>Replaces <c>{{ key }}</c> in every string inside <paramref name="node"/> (a copy) with
    /// <paramref name="values"/>' value; unknown keys are left as they are (Prefect's <c>apply_values</c>).</summary>
    public static JsonNode? Substitute(JsonNode? node, IReadOnlyDictionary<string, string> values) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(Substitute(p.Key, values), Substitute(p.Value, values)))),
        JsonArray items => new JsonArray([.. items.Select(i => Substitute(i, values))]),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(Substitute(text, values)),
        _ => node?.DeepClone(),
    };

    /// <summary>Replaces <c>{{ key }}</c> in <paramref name="text"/>.</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    private static string SlackEscape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    [GeneratedRegex(@"\{\{\s*([\w.\-]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
