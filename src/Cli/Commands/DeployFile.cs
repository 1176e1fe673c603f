using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OrleansFlow.Cli.Commands;

/// <summary>Reads an <c>orleansflow.yaml</c> deployment file (see docs/deploy-yaml.md) into <see cref="DeploySpec"/>s. Every
/// mistake is a <see cref="CliException"/> naming the file, the line and the field (<c>orleansflow.yaml:7:
/// deployments[0].schedule.cron: ...</c>); unknown fields are mistakes too, so a misspelt key is never silently ignored.</summary>
internal static partial class DeployFile
{
    private static readonly string[] TopFields = ["deployments"];
    private static readonly string[] EntryFields =
        ["name", "flow", "flow_name", "entrypoint", "command", "parameters", "schedule", "work_pool", "tags", "description", "version", "paused"];
    private static readonly string[] PoolFields = ["name", "work_queue_name", "job_variables"];
    private static readonly string[] ScheduleFields = ["cron", "timezone", "day_or", "interval", "anchor_date", "rrule"];

    // The server's rules: flow and deployment names are path segments of its routes, as in Prefect; pools and queues refuse fewer.
    private static readonly char[] FlowAndDeploymentNameCharacters = ['/', '%', '&', '>', '<'];
    private static readonly char[] PoolNameCharacters = ['/', '%'];

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="CliException">The file is missing, not YAML, or a field is wrong.</exception>
    public static IReadOnlyList<DeploySpec> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Not found is a failed command (exit 1), as a missing work pool is; the .NET text says nothing about what to do.
            throw new CliException($"no deployment file {System.IO.Path.GetFullPath(path)}: write one (see docs/deploy-yaml.md) or give its path with --file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the deployment file '{path}': {e.Message}", 2);
        }

        return Parse(text, System.IO.Path.GetFileName(path));
    }

    /// <summary>Reads and checks a deployment file's text; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="CliException">The text is not YAML, or a field is wrong.</exception>
    public static IReadOnlyList<DeploySpec> Parse(string text, string file)
    {
        var reader = new Reader(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new CliException($"{file}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}", 2);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            throw new CliException($"{file}: the file is empty: it must have a 'deployments' list", 2);
        }

        var root = reader.Mapping(stream.Documents[0].RootNode, "(top level)", TopFields);
        if (!root.TryGetValue("deployments", out var list))
        {
            throw reader.Error(stream.Documents[0].RootNode, "(top level)", "the 'deployments' list is missing");
        }

        if (list is not YamlSequenceNode { Children.Count: > 0 } sequence)
        {
            throw reader.Error(list, "deployments", "expected a list of deployments with at least one entry");
        }

        var specs = new List<DeploySpec>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            specs.Add(reader.Entry(sequence.Children[i], $"deployments[{i}]"));
        }

        foreach (var twice in specs.GroupBy(s => s.FullName, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var second = twice.Skip(1).First();
            throw new CliException($"{file}:{second.Line}: {second.Path}: the deployment '{twice.Key}' is given twice", 2);
        }

        return specs;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(s|m|h|d)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    private sealed class Reader(string file)
    {
        // The line of the key of each mapping value: a field's mistake is reported where its key is written.
        private readonly Dictionary<YamlNode, int> _keyLines = new(ReferenceEqualityComparer.Instance);

        public int LineOf(YamlNode node) => _keyLines.TryGetValue(node, out var line) ? line : (int)node.Start.Line;

        public CliException Error(YamlNode node, string path, string message) =>
            new($"{file}:{LineOf(node)}: {path}: {message}", 2);

        public Dictionary<string, YamlNode> Mapping(YamlNode node, string path, string[] allowed)
        {
            if (node is not YamlMappingNode mapping)
            {
                throw Error(node, path, "expected a mapping (key: value lines)");
            }

            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                var where = path == "(top level)" ? key : $"{path}.{key}";
                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    throw Error(keyNode, where, $"unknown field (expected one of: {string.Join(", ", allowed)})");
                }

                result[key] = value;
                _keyLines[value] = (int)keyNode.Start.Line;
            }

            return result;
        }

        public DeploySpec Entry(YamlNode node, string path)
        {
            var fields = Mapping(node, path, EntryFields);
            if (fields.ContainsKey("flow") && fields.ContainsKey("flow_name"))
            {
                throw Error(fields["flow_name"], $"{path}.flow_name", "give 'flow' or 'flow_name', not both");
            }

            var name = RequiredString(fields, node, path, "name");
            CheckName(fields["name"], $"{path}.name", name, FlowAndDeploymentNameCharacters);
            var flowKey = fields.ContainsKey("flow_name") ? "flow_name" : "flow";
            var flow = RequiredString(fields, node, path, flowKey);
            CheckName(fields[flowKey], $"{path}.{flowKey}", flow, FlowAndDeploymentNameCharacters);

            string? pool = null, queue = null;
            JsonObject jobVariables = [];
            if (fields.TryGetValue("work_pool", out var poolNode))
            {
                var poolFields = Mapping(poolNode, $"{path}.work_pool", PoolFields);
                pool = OptionalString(poolFields, $"{path}.work_pool", "name");
                queue = OptionalString(poolFields, $"{path}.work_pool", "work_queue_name");
                if (poolFields.TryGetValue("job_variables", out var variables))
                {
                    jobVariables = Json(variables, $"{path}.work_pool.job_variables") as JsonObject
                        ?? throw Error(variables, $"{path}.work_pool.job_variables", "expected a mapping of job variables");
                }

                if (pool is not null)
                {
                    CheckName(poolFields["name"], $"{path}.work_pool.name", pool, PoolNameCharacters);
                }

                if (queue is not null)
                {
                    CheckName(poolFields["work_queue_name"], $"{path}.work_pool.work_queue_name", queue, PoolNameCharacters);
                }
            }

            if (OptionalString(fields, path, "command") is { } command)
            {
                if (jobVariables.ContainsKey("command"))
                {
                    throw Error(fields["command"], $"{path}.command", "the command is given twice: here and in work_pool.job_variables.command");
                }

                jobVariables["command"] = command;
            }

            JsonObject parameters = [];
            if (fields.TryGetValue("parameters", out var parametersNode))
            {
                parameters = Json(parametersNode, $"{path}.parameters") as JsonObject
                    ?? throw Error(parametersNode, $"{path}.parameters", "expected a mapping of parameter names to values");
            }

            var spec = new DeploySpec
            {
                Path = path,
                Line = LineOf(node),
                Name = name,
                Flow = flow,
                Entrypoint = OptionalString(fields, path, "entrypoint"),
                Description = OptionalString(fields, path, "description"),
                Version = OptionalString(fields, path, "version"),
                Paused = fields.TryGetValue("paused", out var paused) && Bool(paused, $"{path}.paused"),
                Tags = fields.TryGetValue("tags", out var tags) ? Strings(tags, $"{path}.tags") : [],
                Parameters = parameters,
                Schedule = fields.TryGetValue("schedule", out var schedule) ? Schedule(schedule, $"{path}.schedule") : null,
                WorkPool = pool,
                WorkQueue = queue,
                JobVariables = jobVariables,
            };
            foreach (var (key, value) in fields)
            {
                spec.FieldLines[key == "flow_name" ? "flow" : key] = LineOf(value);
            }

            return spec;
        }

        private JsonObject? Schedule(YamlNode node, string path)
        {
            if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "null" or "~" })
            {
                return null;
            }

            var fields = Mapping(node, path, ScheduleFields);
            var kinds = new[] { "cron", "interval", "rrule" }.Where(fields.ContainsKey).ToArray();
            if (kinds.Length != 1)
            {
                throw Error(node, path, kinds.Length == 0 ? "give one of cron, interval or rrule" : $"give only one of {string.Join(", ", kinds)}");
            }

            var schedule = new JsonObject();
            switch (kinds[0])
            {
                case "cron":
                    schedule["cron"] = RequiredString(fields, node, path, "cron");
                    if (fields.TryGetValue("day_or", out var dayOr))
                    {
                        schedule["day_or"] = Bool(dayOr, $"{path}.day_or");
                    }

                    break;
                case "interval":
                    schedule["interval"] = Seconds(fields["interval"], $"{path}.interval");
                    if (OptionalString(fields, path, "anchor_date") is { } anchor)
                    {
                        if (!DateTimeOffset.TryParse(anchor, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                        {
                            throw Error(fields["anchor_date"], $"{path}.anchor_date", $"'{anchor}' is not a date and time (e.g. 2026-01-01T09:00:00Z)");
                        }

                        schedule["anchor_date"] = time.ToString("O", CultureInfo.InvariantCulture);
                    }

                    break;
                default:
                    schedule["rrule"] = RequiredString(fields, node, path, "rrule");
                    break;
            }

            foreach (var only in new[] { ("day_or", "cron"), ("anchor_date", "interval") })
            {
                if (fields.TryGetValue(only.Item1, out var stray) && kinds[0] != only.Item2)
                {
                    throw Error(stray, $"{path}.{only.Item1}", $"applies to {only.Item2} schedules only");
                }
            }

            if (OptionalString(fields, path, "timezone") is { } zone)
            {
                schedule["timezone"] = zone;
            }

            return schedule;
        }

        private double Seconds(YamlNode node, string path)
        {
            var text = Scalar(node, path);
            double seconds;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                seconds = number;
            }
            else if (DurationPattern().Match(text.Trim()) is { Success: true } match)
            {
                seconds = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * match.Groups[2].Value switch
                {
                    "s" => 1,
                    "m" => 60,
                    "h" => 3600,
                    _ => 86400,
                };
            }
            else if (TimeSpan.TryParseExact(text, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var span))
            {
                seconds = span.TotalSeconds;
            }
            else
            {
                throw Error(node, path, $"'{text}' is not a duration: give seconds (3600), 90s, 15m, 1h, 1d or hh:mm:ss");
            }

            return seconds > 0 ? seconds : throw Error(node, path, "the interval must be positive");
        }

        private string RequiredString(Dictionary<string, YamlNode> fields, YamlNode owner, string path, string key) =>
            OptionalString(fields, path, key) is { Length: > 0 } value ? value
                : throw Error(fields.TryGetValue(key, out var node) ? node : owner, $"{path}.{key}", "required (a non-empty string)");

        private string? OptionalString(Dictionary<string, YamlNode> fields, string path, string key) =>
            fields.TryGetValue(key, out var node) ? Scalar(node, $"{path}.{key}") : null;

        private string Scalar(YamlNode node, string path) =>
            node is YamlScalarNode scalar ? scalar.Value ?? "" : throw Error(node, path, "expected a single value, not a list or mapping");

        private bool Bool(YamlNode node, string path) => Scalar(node, path) switch
        {
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            var other => throw Error(node, path, $"expected true or false, not '{other}'"),
        };

        private List<string> Strings(YamlNode node, string path)
        {
            if (node is not YamlSequenceNode sequence)
            {
                throw Error(node, path, "expected a list of strings");
            }

            return [.. sequence.Children.Select((item, i) => Scalar(item, $"{path}[{i}]"))];
        }

        private void CheckName(YamlNode node, string path, string value, char[] banned)
        {
            if (value.IndexOfAny(banned) >= 0)
            {
                throw Error(node, path, $"'{value}' must not contain {string.Join(" or ", banned.Select(c => $"'{c}'"))}");
            }
        }

        /// <summary>A YAML value as JSON: mappings as objects, lists as arrays, plain scalars typed as YAML 1.2's core schema
        /// does (null, true/false, numbers), quoted scalars as strings.</summary>
        public JsonNode? Json(YamlNode node, string path)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    var result = new JsonObject();
                    foreach (var (key, value) in mapping.Children)
                    {
                        var name = (key as YamlScalarNode)?.Value ?? throw Error(key, path, "keys must be plain strings");
                        if (result.ContainsKey(name))
                        {
                            throw Error(key, $"{path}.{name}", "given twice");
                        }

                        result[name] = Json(value, $"{path}.{name}");
                    }

                    return result;
                case YamlSequenceNode sequence:
                    return new JsonArray([.. sequence.Children.Select((item, i) => Json(item, $"{path}[{i}]"))]);
                case YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain:
                    var text = scalar.Value ?? "";
                    return text switch
                    {
                        "" or "null" or "Null" or "NULL" or "~" => null,
                        "true" or "True" or "TRUE" => JsonValue.Create(true),
                        "false" or "False" or "FALSE" => JsonValue.Create(false),
                        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
                        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && !double.IsInfinity(real) => JsonValue.Create(real),
                        _ => JsonValue.Create(text),
                    };
                case YamlScalarNode scalar:
                    return JsonValue.Create(scalar.Value ?? "");
                default:
                    throw Error(node, path, "unsupported YAML value (aliases are not supported)");
            }
        }
    }
}
