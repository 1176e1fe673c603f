using OrleansFlow.Gateway.Api;
using OrleansFlow.Silo.Notifications.Templates;

namespace OrleansFlow.Gateway.Notifications;

/// <summary>Rejects a request whose template field does not parse: HTTP 422 naming the field, the reason, the line and
/// the column, as Prefect's <c>'body' is not a valid template: ...</c>.</summary>
internal static class TemplateFields
{
    /// <summary>Throws when <paramref name="template"/> (null is fine) is not a valid template.</summary>
    /// <param name="template">The template text.</param>
    /// <param name="path">The field's path in the body, dotted (<c>body</c>, <c>actions.0.subject</c>); it is the
    /// error's <c>loc</c>, and its last part names the field in the message.</param>
    /// <exception cref="ApiValidationException">The template does not parse.</exception>
    public static void Require(string? template, string path)
    {
        if (Template.Validate(template) is { } error)
        {
            throw Invalid(path, error.Message);
        }
    }

    /// <summary>The 422 error of a template field.</summary>
    public static ApiValidationException Invalid(string path, string reason) =>
        ApiValidationException.Field(path, $"'{path.Split('.')[^1]}' is not a valid template: {reason}");
}
