using System.Globalization;
using System.Text.Json;

namespace OrleansFlow.Silo.Queries;

/// <summary>A parsed Prefect filter body: the entity sections, sort, limit and offset.</summary>
internal sealed class FilterRequest
{
    /// <summary>The most rows one filter call returns (Prefect's PREFECT_API_DEFAULT_LIMIT).</summary>
    public const int MaxLimit = 200;

    private static readonly HashSet<string> Paging = ["sort", "limit", "offset"];

    public Dictionary<string, JsonElement> Sections { get; } = [];

    public string? Sort { get; private set; }

    public int Limit { get; private set; } = MaxLimit;

    public int Offset { get; private set; }

    /// <summary>Parses a body whose sections must be among <paramref name="sections"/>.</summary>
    public static FilterRequest Parse(JsonElement body, IReadOnlySet<string> sections, bool paged)
    {
        var request = new FilterRequest();
        if (body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return request;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new FilterException([], "the body must be a JSON object");
        }

        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            if (paged && Paging.Contains(property.Name))
            {
                if (value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                switch (property.Name)
                {
                    case "sort":
                        request.Sort = value.ValueKind == JsonValueKind.String ? value.GetString() : throw new FilterException(["sort"], "must be a string");
                        break;
                    case "limit":
                        request.Limit = Int(value, "limit", 0, MaxLimit);
                        break;
                    default:
                        request.Offset = Int(value, "offset", 0, int.MaxValue);
                        break;
                }

                continue;
            }

            // Like Prefect (FastAPI body parameters), unknown top-level fields are ignored; inside a section they are not.
            if (sections.Contains(property.Name))
            {
                request.Sections[property.Name] = value;
            }
        }

        return request;
    }

    public JsonElement Section(string name) => Sections.TryGetValue(name, out var value) ? value : default;

    private static int Int(JsonElement value, string field, int min, int max) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)
            ? n >= min && n <= max ? n : throw new FilterException([field], string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"))
            : throw new FilterException([field], "must be an integer");
}
