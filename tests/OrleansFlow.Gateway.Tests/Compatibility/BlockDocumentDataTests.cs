using System.Net;
using System.Text.Json.Nodes;
using OrleansFlow.Gateway.Tests.Infrastructure;

namespace OrleansFlow.Gateway.Tests.Compatibility;

/// <summary>A block document's data against its schema. Prefect 2.20's server checks only that data is an object
/// (<c>Dict[str, Any]</c>); OrleansFlow also refuses a new document that leaves out a required field, which Block.load
/// could not read back, and accepts what the Python client saves: references to other documents and secrets.</summary>
public sealed class BlockDocumentDataTests(ServerPool servers) : IClassFixture<ServerPool>
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Create_RequiredFieldsMissing_Answers422NamingEachDataField(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var (type, schema) = await ConnectionTypeAsync(api);

        var missing = await api.PostAsync("block_documents/", new { name = "partial", block_type_id = type, block_schema_id = schema, data = new { port = 5432 } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.Status);
        Assert.Equal(["body.data.host", "body.data.password"], missing.ErrorLocations);
        var none = (await api.PostAsync("block_documents/filter", new { block_schemas = new { id = new { any_ = new[] { schema } } } })).Expect(HttpStatusCode.OK).Array;
        Assert.Empty(none);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task CreateAndUpdate_DataNotAnObject_Answers422AtData(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var (type, schema) = await ConnectionTypeAsync(api);

        var created = await api.PostAsync("block_documents/", new { name = "text", block_type_id = type, block_schema_id = schema, data = "host=db" });
        var id = (await api.PostAsync("block_documents/", new { name = "whole", block_type_id = type, block_schema_id = schema, data = new { host = "db", password = "pw" } }))
            .Expect(HttpStatusCode.Created).Id;
        var updated = await api.PatchAsync($"block_documents/{id}", new { data = new[] { "host" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, created.Status);
        Assert.Equal(["body.data"], created.ErrorLocations);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, updated.Status);
        Assert.Equal(["body.data"], updated.ErrorLocations);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.Postgres)]
    public async Task Create_AsThePythonClientSaves_ReferenceAndSecretAndNull_IsAccepted_PartialPatchToo(DatabaseKind database)
    {
        var api = await servers.ApiAsync(database);
        var (type, schema) = await ConnectionTypeAsync(api);
        var password = await api.CreateBlockDocumentAsync("secret", "pw-" + Guid.NewGuid().ToString("N")[..8], new JsonObject { ["value"] = "hunter2" });

        // The required password given as a reference to a Secret document, a nullable required field as null.
        var data = new JsonObject
        {
            ["host"] = null,
            ["password"] = new JsonObject { ["$ref"] = new JsonObject { ["block_document_id"] = password.ToString() } },
        };
        var id = (await api.PostAsync("block_documents/", new { name = "by-reference", block_type_id = type, block_schema_id = schema, data })).Expect(HttpStatusCode.Created).Id;
        var secret = (await api.PostAsync("block_documents/", new { name = "by-value", block_type_id = type, block_schema_id = schema, data = new { host = "db", password = "pw" } }))
            .Expect(HttpStatusCode.Created).Id;
        (await api.PatchAsync($"block_documents/{secret}", new { data = new { port = 6543 } })).Expect(HttpStatusCode.NoContent);

        var read = (await api.GetAsync($"block_documents/{id}")).Expect(HttpStatusCode.OK).Object;
        Assert.True(read["block_document_references"]!.AsObject().ContainsKey("password"));
        var merged = (await api.GetAsync($"block_documents/{secret}?include_secrets=true")).Expect(HttpStatusCode.OK).Object;
        Assert.Equal("pw", merged["data"]!["password"]!.GetValue<string>());
        Assert.Equal(6543, merged["data"]!["port"]!.GetValue<int>());
    }

    /// <summary>A block type whose schema requires <c>host</c> (nullable) and a secret <c>password</c>; <c>port</c> is optional.</summary>
    private static async Task<(Guid Type, Guid Schema)> ConnectionTypeAsync(PrefectApi api)
    {
        var slug = "connection-" + Guid.NewGuid().ToString("N")[..8];
        var type = (await api.PostAsync("block_types/", new { name = slug, slug })).Expect(HttpStatusCode.Created).Id;
        var fields = JsonNode.Parse("""
            {
              "title": "Connection", "type": "object",
              "properties": {
                "host": {"title": "Host", "anyOf": [{"type": "string"}, {"type": "null"}]},
                "port": {"title": "Port", "type": "integer", "default": 5432},
                "password": {"title": "Password", "type": "string", "writeOnly": true, "format": "password"}
              },
              "required": ["host", "password"],
              "secret_fields": ["password"],
              "block_type_slug": "SLUG", "block_schema_references": {}
            }
            """.Replace("SLUG", slug, StringComparison.Ordinal));
        var schema = (await api.PostAsync("block_schemas/", new { block_type_id = type, fields })).Expect(HttpStatusCode.Created).Id;
        return (type, schema);
    }
}
