using System.Text.Json.Nodes;
using OrleansFlow.Silo.Notifications.Templates;

namespace OrleansFlow.Silo.Tests.Notifications;

public sealed class TemplateTests
{
    private static readonly JsonNode Context = JsonNode.Parse("""
        {
          "event": {
            "event": "prefect.flow-run.Failed",
            "occurred": "2026-12-04T08:00:00Z",
            "resource": {"prefect.resource.id": "prefect.flow-run.1234", "prefect.resource.name": "wise-otter", "prefect.state-name": "Failed"},
            "related": [{"prefect.resource.id": "prefect.flow.99", "prefect.resource.role": "flow", "prefect.resource.name": "etl"}],
            "payload": {"validated_state": {"type": "FAILED", "name": "Failed"}}
          },
          "flow_run": {"name": "wise-otter", "state": {"name": "Failed", "type": "FAILED"}, "tags": ["prod", "nightly"], "run_count": 3, "total_run_time": 12.5},
          "flow": {"name": "etl"},
          "deployment": {"name": "etl/nightly", "parameters": {"b": 2, "a": "x<y"}}
        }
        """)!;

    private static string Render(string template) => Template.Render(template, Context);

    [Theory]
    [InlineData("{{ event.resource.id }}", "prefect.flow-run.1234")]
    [InlineData("{{ event.resource.name }}", "wise-otter")]
    [InlineData("{{ event.event }}", "prefect.flow-run.Failed")]
    [InlineData("{{ flow_run.name }} is {{ flow_run.state.name }}", "wise-otter is Failed")]
    [InlineData("{{ flow.name }}/{{ deployment.name }}", "etl/etl/nightly")]
    [InlineData("{{ event.resource['prefect.resource.name'] }}", "wise-otter")]
    [InlineData("{{ event.resource[\"prefect.state-name\"] }}", "Failed")]
    [InlineData("{{ event.related[0].role }}", "flow")]
    [InlineData("{{ event.related[-1]['prefect.resource.name'] }}", "etl")]
    [InlineData("{{ flow_run.tags.1 }}", "nightly")]
    [InlineData("{{ flow_run.run_count + 1 }} {{ flow_run.total_run_time }}", "4 12.5")]
    [InlineData("{{ flow_run.tags }}", "['prod', 'nightly']")]
    [InlineData("{{ none }} {{ true }} {{ 2.0 }} {{ 7 // 2 }} {{ -7 % 3 }}", "None True 2.0 3 2")]
    [InlineData("{{ 'a' ~ 1 ~ flow.name }}", "a1etl")]
    public void Render_Variables_AsJinja(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ nothing }}|{{ nothing.deeper.still }}|{{ flow.missing }}|{{ flow_run.tags[9] }}", "|||")]
    [InlineData("{{ nothing | default('x') }}", "x")]
    [InlineData("{{ flow.name | default('x') }}", "etl")]
    [InlineData("{{ '' | default('x') }}|{{ '' | default('x', true) }}|{{ '' | d('y', boolean=true) }}", "|x|y")]
    [InlineData("{{ flow.name | upper }} {{ 'ABC' | lower }} {{ 'hello world' | title }}", "ETL abc Hello World")]
    [InlineData("{{ flow_run.tags | join(', ') }} ({{ flow_run.tags | length }})", "prod, nightly (2)")]
    [InlineData("{{ 'abc-def' | replace('-', '_') }} {{ '  x  ' | trim }}", "abc_def x")]
    [InlineData("{{ flow_run.state | tojson }}", "{\"name\": \"Failed\", \"type\": \"FAILED\"}")]
    [InlineData("{{ deployment.parameters | tojson }}", "{\"a\": \"x\\u003cy\", \"b\": 2}")]
    [InlineData("{{ nothing | tojson }}", "null")]
    [InlineData("{{ 'one two three four five six' | truncate(12) }}", "one two...")]
    [InlineData("{{ 'one two three four five six' | truncate(12, true) }}", "one two t...")]
    [InlineData("{{ 'one two three four five six' | truncate(12, end='') }}", "one two")]
    [InlineData("{{ 'short' | truncate(3, leeway=2) }}", "short")]
    [InlineData("{{ '42' | int + 1 }} {{ 'x' | int }} {{ 3.7 | int }} {{ 2.456 | round(1) }}", "43 0 3 2.5")]
    [InlineData("{{ flow_run.tags | first }} {{ flow_run.tags | last }} {{ [3, 1, 2] | sort | join }}", "prod nightly 123")]
    public void Render_Filters_AsJinja(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{% if flow_run.state.type == 'FAILED' %}bad{% elif flow_run.state.type == 'COMPLETED' %}good{% else %}other{% endif %}", "bad")]
    [InlineData("{% if nothing %}yes{% elif flow.name == 'nope' %}no{% else %}else{% endif %}", "else")]
    [InlineData("{% if 'prod' in flow_run.tags and not ('dev' in flow_run.tags) %}prod{% endif %}", "prod")]
    [InlineData("{% if 'dev' not in flow_run.tags %}no dev{% endif %}", "no dev")]
    [InlineData("{% if nothing is defined %}d{% elif nothing is not defined %}u{% endif %}", "u")]
    [InlineData("{% if flow_run.run_count >= 3 %}{{ 'many' if flow_run.run_count > 2 else 'few' }}{% endif %}", "many")]
    [InlineData("{% for t in flow_run.tags %}{{ loop.index }}:{{ t }}{% if not loop.last %},{% endif %}{% endfor %}", "1:prod,2:nightly")]
    [InlineData("{% for t in nothing %}x{% else %}empty{% endfor %}", "empty")]
    [InlineData("{% for k, v in deployment.parameters.items() %}{{ k }}={{ v }};{% endfor %}", "b=2;a=x<y;")]
    [InlineData("{% for k in deployment.parameters | dictsort %}{{ k[0] }}{% endfor %}", "ab")]
    [InlineData("{% for i in range(3) %}{% for j in range(2) %}{{ i }}{{ j }} {% endfor %}{% endfor %}", "00 01 10 11 20 21 ")]
    [InlineData("{% set greeting = 'hi ' ~ flow.name %}{{ greeting | upper }}", "HI ETL")]
    [InlineData("a{# a comment #}b", "ab")]
    public void Render_Statements_AsJinja(string template, string expected) => Assert.Equal(expected, Render(template));

    [Fact]
    public void Render_WhitespaceControl_AsJinja()
    {
        // Jinja keeps the newlines around tags unless a '-' strips them, and drops one trailing newline.
        Assert.Equal("\nx\n", Render("{% if true %}\nx\n{% endif %}\n"));
        Assert.Equal("x", Render("{% if true -%}\n   x\n{%- endif %}"));
        Assert.Equal("a b", Render("a {{- ' ' -}}   b"));
        Assert.Equal("- prod\n- nightly\n", Render("{% for t in flow_run.tags %}\n- {{ t }}\n{%- endfor %}\n\n").TrimStart('\n'));
        Assert.Equal("{ not a tag }", Render("{ not a tag }"));
    }

    [Fact]
    public void Render_DocsExamples_AsDocumented()
    {
        var first = """
            Flow run {{ flow_run.name }} of {{ flow.name }} entered {{ flow_run.state.name | default('an unknown state') }}.
            {% if flow_run.state.type == 'FAILED' %}
            It failed after {{ flow_run.run_count }} attempt(s).
            {%- elif flow_run.state.type == 'COMPLETED' %}
            It completed in {{ flow_run.total_run_time | round(1) }} s.
            {%- endif %}
            Tags: {{ flow_run.tags | join(', ') | default('none', true) }}
            """;
        var second = """
            {% for r in event.related -%}
            - {{ r.role }}: {{ r['prefect.resource.name'] | default(r.id) }}
            {% endfor %}
            """;
        var third = """{"run": {{ flow_run.name | tojson }}, "state": {{ flow_run.state.name | tojson }}, "event": {{ event | tojson }}}""";

        Assert.Equal("Flow run wise-otter of etl entered Failed.\n\nIt failed after 3 attempt(s).\nTags: prod, nightly", Render(first));
        Assert.Equal("- flow: etl\n", Render(second));
        var json = JsonNode.Parse(Render(third))!;
        Assert.Equal(("wise-otter", "prefect.flow-run.Failed"), (json["run"]!.GetValue<string>(), json["event"]!["event"]!.GetValue<string>()));
    }

    [Fact]
    public void Render_PlainText_IsReturnedAsItIs() => Assert.Equal("no {template} here\n", Template.Render("no {template} here\n", null));

    [Theory]
    [InlineData("{{ flow.name ", "Unclosed expression: '{{' has no '}}'", 1, 1)]
    [InlineData("line one\n  {% if x %}open", "Unclosed 'if': missing '{% endif %}'", 2, 3)]
    [InlineData("{% for x in y %}{% endif %}", "Unexpected 'endif': expected 'else' or 'endfor'", 1, 17)]
    [InlineData("{% endfor %}", "Unexpected 'endfor': no block is open", 1, 1)]
    [InlineData("x\n{{ flow.name | shout }}", "Unknown filter 'shout'", 2, 16)]
    [InlineData("{% while true %}", "Unknown statement 'while' (supported: if, elif, else, endif, for, endfor, set)", 1, 1)]
    [InlineData("{{ }}", "Empty expression '{{ }}'", 1, 1)]
    [InlineData("{{ a b }}", "Expected the end of the tag, found 'b'", 1, 6)]
    [InlineData("{{ 'abc }}", "Unterminated string literal", 1, 4)]
    [InlineData("{{ flow.__class__.mro() }}", "Method 'mro' cannot be called (supported: items(), keys(), values(), get())", 1, 19)]
    [InlineData("{{ open('/etc/passwd') }}", "Function 'open' cannot be called (supported: range())", 1, 4)]
    [InlineData("{% for a in x %}{% for b in a %}{% for c in b %}{% endfor %}{% endfor %}{% endfor %}", "For loops nested too deep: at most 2 levels", 1, 33)]
    public void Validate_BadTemplate_NamesReasonLineAndColumn(string template, string reason, int line, int column)
    {
        var error = Template.Validate(template);
        Assert.NotNull(error);
        Assert.Equal(reason, error.Reason);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains($"(line {line}, column {column})", error.Message, StringComparison.Ordinal);
        Assert.Throws<TemplateSyntaxException>(() => Template.Render(template, Context));
    }

    [Fact]
    public void Validate_GoodTemplateOrNull_IsNull()
    {
        Assert.Null(Template.Validate("Flow run {{ flow_run.name }} entered {{ flow_run.state.name | default('?') }}"));
        Assert.Null(Template.Validate(null));
        Assert.Null(Template.Validate("plain text"));
    }

    [Fact]
    public void Validate_DeepNesting_RejectedWithoutExhaustingTheStack()
    {
        const int depth = 10_000;
        var parentheses = "{{ " + new string('(', depth) + "1" + new string(')', depth) + " }}";
        var nots = "{{ " + string.Concat(Enumerable.Repeat("not ", depth)) + "x }}";
        var minuses = "{{ " + new string('-', depth) + "1 }}";
        var ifs = string.Concat(Enumerable.Repeat("{% if x %}", depth / 3)) + string.Concat(Enumerable.Repeat("{% endif %}", depth / 3));
        var lists = "{{ " + new string('[', depth) + new string(']', depth) + " }}";
        var sums = "{{ 1" + string.Concat(Enumerable.Repeat("+1", depth)) + " }}";
        var filters = "{{ x" + string.Concat(Enumerable.Repeat("|upper", depth)) + " }}";
        var attributes = "{{ x" + string.Concat(Enumerable.Repeat(".a", depth)) + " }}";

        foreach (var template in new[] { parentheses, nots, minuses, ifs, lists, sums, filters, attributes })
        {
            Assert.StartsWith("Nested too deep", Template.Validate(template)!.Reason, StringComparison.Ordinal);
        }

        Assert.Equal("1", Render("{{ " + new string('(', 30) + "1" + new string(')', 30) + " }}"));
        Assert.Equal("50", Render("{{ 1" + string.Concat(Enumerable.Repeat("+1", 49)) + " }}"));
    }

    [Fact]
    public void Validate_TooManyLoops_IsRejected()
    {
        var template = string.Concat(Enumerable.Repeat("{% for x in y %}{% endfor %}", 11));
        Assert.Equal("Too many for loops: a template may hold at most 10", Template.Validate(template)!.Reason);
        Assert.Null(Template.Validate(template, TemplateLimits.Default with { MaxLoops = 11 }));
    }

    [Fact]
    public void Render_OutputPastTheLimit_Fails()
    {
        var limits = TemplateLimits.Default with { MaxOutputLength = 50 };
        var error = Assert.Throws<TemplateRenderException>(() => Template.Parse("{% for i in range(100) %}{{ i }}{% endfor %}", limits).Render(null));
        Assert.Equal("The output is longer than 50 characters", error.Reason);
        Assert.Throws<TemplateRenderException>(() => Template.Parse("{{ 'x' * 1000 }}", limits).Render(null));
    }

    [Fact]
    public void Render_IterationsPastTheLimit_Fail()
    {
        var limits = TemplateLimits.Default with { MaxIterations = 150 };
        var error = Assert.Throws<TemplateRenderException>(() => Template.Parse("{% for i in range(100) %}{% for j in range(2) %}.{% endfor %}{% endfor %}", limits).Render(null));
        Assert.StartsWith("Too many loop iterations", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RangeTooBig_FailsWithPosition()
    {
        var error = Assert.Throws<TemplateRenderException>(() => Template.Render("ok\n{{ range(1000) }}", null));
        Assert.Equal("Range too big: at most 100 elements", error.Reason);
        Assert.Equal((2, 4), (error.Line, error.Column));
    }

    [Fact]
    public void Render_ArithmeticOnUndefined_FailsClearly()
    {
        var error = Assert.Throws<TemplateRenderException>(() => Render("{{ nothing + 1 }}"));
        Assert.Contains("undefined", error.Reason, StringComparison.Ordinal);
    }
}
