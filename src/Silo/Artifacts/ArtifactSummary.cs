namespace OrleansFlow.Silo.Artifacts;

/// <summary>An artifact as a list page shows it: its description cut to 2,000 characters, and its data only when that is
/// at most <see cref="PreviewCharacters"/> long (so a page of 50 artifacts of 10 MB each reads and renders kilobytes).</summary>
/// <param name="Artifact">The artifact; <see cref="Artifact.Data"/> is null when <see cref="DataOmitted"/>.</param>
/// <param name="DataLength">The length of the stored data, in characters of its JSON text.</param>
public sealed record ArtifactSummary(Artifact Artifact, long DataLength)
{
    /// <summary>The longest data a summary carries: 65,536 characters of JSON (the limit written in
    /// <c>artifacts.summary_select.sql</c>).</summary>
    public const int PreviewCharacters = 65536;

    /// <summary>True when the data was too long to carry: only the full artifact shows it.</summary>
    public bool DataOmitted => DataLength > PreviewCharacters;
}
