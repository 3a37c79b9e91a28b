using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PatternTts.Service.Api;

/// <summary>
/// System.Text.Json's messages name .NET types ("could not be converted to …SpeechRequest"); clients need the field
/// and what it expects, in JSON's words, which the contract's own metadata tells.
/// </summary>
public static class JsonErrors
{
    /// <summary>The JSON path of the failure without its <c>$.</c>, or null at the root.</summary>
    public static string? Field(JsonException e) => e.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : null;

    /// <summary>A message naming the field and the kind of JSON value <paramref name="contract"/> expects there.</summary>
    public static string Describe(JsonException e, Type? contract)
    {
        var field = Field(e);
        if (field is null || contract is null)
        {
            return field is null ? "The request body must be a JSON object with the fields the endpoint documents." : $"Invalid value for '{field}'.";
        }

        return Expected(contract, field.Split('.')) is { } expected
            ? $"Invalid value for '{field}': expected {expected}."
            : $"Invalid value for '{field}'.";
    }

    /// <summary>The kind of value at <paramref name="path"/> of <paramref name="type"/>, or null when it is not a known field.</summary>
    private static string? Expected(Type type, string[] path)
    {
        foreach (var name in path)
        {
            var info = ServiceJsonContext.Readable.GetTypeInfo(type);
            var property = info?.Properties.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                return null;
            }

            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }

        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(long) => "a number",
            _ when type.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "an array",
            _ => "a JSON object",
        };
    }
}
