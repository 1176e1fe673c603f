using System.Text.Json;

namespace OrleansFlow.Ui.Rendering;

/// <summary>A table artifact's data as columns and rows. Prefect stores it as a JSON string (or value) holding either a
/// list of row objects, a list of row lists, or an object of column lists.</summary>
internal sealed record ArtifactTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static ArtifactTable? Parse(JsonElement? data)
    {
        if (data is not { } value)
        {
            return null;
        }

        try
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                using var document = JsonDocument.Parse(value.GetString()!);
                return FromValue(document.RootElement);
            }

            return FromValue(value);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ArtifactTable? FromValue(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var rows = value.EnumerateArray().ToList();
            if (rows.All(r => r.ValueKind == JsonValueKind.Object))
            {
                var columns = rows.SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Distinct().ToList();
                return new ArtifactTable(columns, rows.Select(r => (IReadOnlyList<string>)columns
                    .Select(c => r.TryGetProperty(c, out var cell) ? Cell(cell) : "").ToList()).ToList());
            }

            if (rows.All(r => r.ValueKind == JsonValueKind.Array))
            {
                var width = rows.Count == 0 ? 0 : rows.Max(r => r.GetArrayLength());
                return new ArtifactTable(Enumerable.Range(1, width).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
                    rows.Select(r => (IReadOnlyList<string>)r.EnumerateArray().Select(Cell).ToList()).ToList());
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var columns = value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).ToList();
            var height = columns.Count == 0 ? 0 : columns.Max(c => c.Value.GetArrayLength());
            return new ArtifactTable(columns.Select(c => c.Name).ToList(), Enumerable.Range(0, height)
                .Select(i => (IReadOnlyList<string>)columns.Select(c => i < c.Value.GetArrayLength() ? Cell(c.Value[i]) : "").ToList()).ToList());
        }

        return null;
    }

    private static string Cell(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.String => cell.GetString()!,
        JsonValueKind.Null => "",
        _ => cell.GetRawText(),
    };
}
