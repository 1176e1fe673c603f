using OrleansFlow.Silo.ApiKeys;

namespace OrleansFlow.Gateway.Security;

/// <summary>Who made a request: the key's name and role, and the SHA-256 of the key (to check it again later, for a UI
/// session, without keeping the key).</summary>
internal sealed record AccessPrincipal(string Name, ApiKeyRole Role, string KeyHash);
