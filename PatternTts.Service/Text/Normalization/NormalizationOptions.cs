using System.Text.Json.Serialization;

namespace PatternTts.Service.Text.Normalization;

/// <summary>The legacy container's per-request <c>normalization_options</c>, with its defaults.</summary>
public sealed record NormalizationOptions
{
    public static readonly NormalizationOptions Default = new();

    [JsonPropertyName("normalize")]
    public bool Normalize { get; init; } = true;

    [JsonPropertyName("unit_normalization")]
    public bool UnitNormalization { get; init; }

    [JsonPropertyName("url_normalization")]
    public bool UrlNormalization { get; init; } = true;

    [JsonPropertyName("email_normalization")]
    public bool EmailNormalization { get; init; } = true;

    [JsonPropertyName("optional_pluralization_normalization")]
    public bool OptionalPluralizationNormalization { get; init; } = true;

    [JsonPropertyName("phone_normalization")]
    public bool PhoneNormalization { get; init; } = true;

    [JsonPropertyName("replace_remaining_symbols")]
    public bool ReplaceRemainingSymbols { get; init; } = true;
}
