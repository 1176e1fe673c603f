using System.Reflection;
using System.Text;

namespace OrleansFlow.Runtime;

/// <summary>How flows, tasks and runs are named.</summary>
internal static class RunNames
{
    /// <summary>The task key of a method: its declaring type's full name, a dot, its name (<c>MyApp.Etl.ExtractData</c>).</summary>
    public static string TaskKey(MethodInfo method) => $"{method.DeclaringType?.FullName}.{method.Name}";

    /// <summary><c>EtlFlow</c> becomes <c>etl-flow</c>; an <c>Async</c> suffix is dropped.</summary>
    public static string Kebab(string name)
    {
        if (name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5)
        {
            name = name[..^5];
        }

        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                {
                    text.Append('-');
                }

                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c == '_' ? '-' : c);
            }
        }

        return text.ToString();
    }

    /// <summary>Fills <c>{parameter}</c> placeholders of a run name template with the call's arguments.</summary>
    public static string Format(string template, IReadOnlyDictionary<string, object?> arguments)
    {
        var text = template;
        foreach (var (name, value) in arguments)
        {
            text = text.Replace("{" + name + "}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return text;
    }
}
