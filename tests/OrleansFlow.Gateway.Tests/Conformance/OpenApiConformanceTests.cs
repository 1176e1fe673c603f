using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansFlow.Gateway.Tests.Conformance;

/// <summary>Generated from Prefect 2.10.11's OpenAPI schema: for every operation with a request body that this server
/// implements, a maximal body (every property present: its default, else null; required ones with a value) and a
/// minimal body (only the required properties) are not refused (no 422, no 5xx), and every 2xx answer (also of the
/// GET operations) has the response schema's required fields, with the right JSON types. One server per database.</summary>
public sealed class OpenApiConformanceTests(ServerPool servers, ITestOutputHelper output) : IClassFixture<ServerPool>
{
    // Operations left out on purpose: they wipe or drop the database the test runs on.
    private static readonly HashSet<string> Destructive = ["POST /admin/database/clear", "POST /admin/database/drop", "POST /admin/database/create"];

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task EveryImplementedOperation_MaximalAndMinimalBodies_AcceptedAndAnswersFitTheSchema(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var contract = OpenApiContract.Load();
        var seed = await ConformanceSeed.CreateAsync(api);
        var problems = new List<string>();
        var notImplemented = new List<string>();
        var bodySchemas = 0;
        var bodiesSent = 0;
        var answersChecked = 0;

        foreach (var operation in contract.Operations())
        {
            if (Destructive.Contains(operation.ToString()) || operation.Method == "DELETE")
            {
                continue;
            }

            var path = seed.Path(operation.Path);
            if (operation.BodySchema is null)
            {
                if (operation.Method != "GET")
                {
                    continue;
                }

                var answer = await api.SendAsync(HttpMethod.Get, path, null);
                if (IsMissingRoute(answer))
                {
                    notImplemented.Add(operation.ToString());
                    continue;
                }

                answersChecked += CheckAnswer(contract, operation, answer, problems);
                continue;
            }

            var implemented = true;
            foreach (var maximal in new[] { true, false })
            {
                var body = contract.Body(operation.BodySchema, maximal, seed.Value);
                if (body is JsonArray list && contract.Resolve(operation.BodySchema)["items"] is { } items)
                {
                    list.Add(contract.Body(items, maximal, seed.Value));
                }

                var answer = await api.SendAsync(new HttpMethod(operation.Method), path, body?.ToJsonString() ?? "{}");
                if (IsMissingRoute(answer))
                {
                    implemented = false;
                    break;
                }

                bodiesSent++;
                var shape = maximal ? "maximal" : "minimal";
                if (answer.Code == 422 || answer.Code >= 500)
                {
                    problems.Add($"{operation} ({operation.SchemaName}, {shape}): {answer.Code} {answer.Text}\n  sent {body?.ToJsonString()}");
                    continue;
                }

                answersChecked += CheckAnswer(contract, operation, answer, problems);
            }

            if (implemented)
            {
                bodySchemas++;
            }
            else
            {
                notImplemented.Add(operation.ToString());
            }
        }

        output.WriteLine($"{database}: {bodySchemas} request body schemas x 2 shapes = {bodiesSent} bodies; {answersChecked} answers checked against response schemas");
        output.WriteLine($"not implemented ({notImplemented.Count}): {string.Join(", ", notImplemented)}");
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n" + string.Join("\n", problems));
        Assert.True(bodySchemas >= 59, $"only {bodySchemas} body schemas were exercised");
    }

    // An unmatched route answers 404 with no body (a missing resource answers a JSON "detail"), or 405.
    private static bool IsMissingRoute(ApiResponse answer) =>
        answer.Status == HttpStatusCode.MethodNotAllowed || (answer.Status == HttpStatusCode.NotFound && string.IsNullOrWhiteSpace(answer.Text));

    private static int CheckAnswer(OpenApiContract contract, OpenApiContract.Operation operation, ApiResponse answer, List<string> problems)
    {
        if (answer.Code is < 200 or >= 300 || answer.Code == 204)
        {
            return 0;
        }

        var documented = operation.Responses[answer.Code.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? operation.Responses.Where(r => r.Key.StartsWith('2')).Select(r => r.Value).FirstOrDefault();
        if (documented?["content"]?["application/json"]?["schema"] is not { } schema)
        {
            return 0;
        }

        var found = new List<string>();
        contract.Check(answer.Body, schema, "response", found);
        problems.AddRange(found.Select(f => $"{operation} -> {answer.Code}: {f}"));
        return 1;
    }
}
