namespace OrleansFlow.Generators.Model;

/// <summary>One call of a flow or task method that gets intercepted.</summary>
/// <param name="Target">The called method.</param>
/// <param name="InterceptsLocationAttribute">The <c>[InterceptsLocation]</c> attribute that points at the call.</param>
/// <param name="DisplayLocation">Where the call is, as <c>file(line,column)</c>, for a comment in the generated code.</param>
/// <param name="SortKey">Orders call sites deterministically (file path and position).</param>
internal sealed record CallSite(TargetMethod Target, string InterceptsLocationAttribute, string DisplayLocation, string SortKey);
