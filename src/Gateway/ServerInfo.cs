namespace OrleansFlow.Gateway;

/// <summary>What the server tells about itself (shown by the UI's settings page and <c>/api/admin/settings</c>).</summary>
/// <param name="Database">The database, without secrets.</param>
/// <param name="Dialect">The database kind.</param>
public sealed record ServerInfo(string Database, string Dialect);
