namespace OrleansFlow.Generators.Model;

/// <summary>What a call of a flow or task method turns into: a call site to intercept, or a diagnostic saying why it
/// cannot be intercepted.</summary>
/// <param name="Call">The call site, when it can be intercepted.</param>
/// <param name="Diagnostic">Why it cannot, otherwise.</param>
/// <param name="NotEnabled">The diagnostic to report at this call when interceptors are not enabled.</param>
internal sealed record CallAnalysis(CallSite? Call, DiagnosticInfo? Diagnostic, DiagnosticInfo NotEnabled);
