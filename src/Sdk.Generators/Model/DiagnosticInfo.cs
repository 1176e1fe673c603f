using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace OrleansFlow.Generators.Model;

/// <summary>A diagnostic to report, kept as values (no syntax trees) so that generator steps stay cacheable.</summary>
/// <param name="Descriptor">What is reported.</param>
/// <param name="FilePath">The file of the call.</param>
/// <param name="Span">The call's span in the file.</param>
/// <param name="LineSpan">The call's lines and columns.</param>
/// <param name="Arguments">The message's arguments.</param>
internal sealed record DiagnosticInfo(
    DiagnosticDescriptor Descriptor, string FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
    {
        var lineSpan = location.GetLineSpan();
        return new(descriptor, lineSpan.Path, location.SourceSpan, lineSpan.Span, new([.. arguments]));
    }

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location.Create(FilePath, Span, LineSpan), [.. Arguments]);
}
