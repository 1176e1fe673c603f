namespace OrleansFlow.Silo.ApiKeys;

/// <summary>The wire names of <see cref="ApiKeyRole"/>: <c>read_only</c>, <c>runner</c>, <c>admin</c>.</summary>
public static class ApiKeyRoles
{
    /// <summary>The wire name of <paramref name="role"/>.</summary>
    public static string Name(ApiKeyRole role) => role switch
    {
        ApiKeyRole.ReadOnly => "read_only",
        ApiKeyRole.Runner => "runner",
        ApiKeyRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a role."),
    };

    /// <summary>The role named <paramref name="name"/> (<c>read_only</c>, <c>runner</c> or <c>admin</c>; <c>read-only</c> too).</summary>
    /// <returns>False when the name is none of them.</returns>
    public static bool TryParse(string? name, out ApiKeyRole role)
    {
        switch (name)
        {
            case "read_only" or "read-only":
                role = ApiKeyRole.ReadOnly;
                return true;
            case "runner":
                role = ApiKeyRole.Runner;
                return true;
            case "admin":
                role = ApiKeyRole.Admin;
                return true;
            default:
                role = default;
                return false;
        }
    }
}
