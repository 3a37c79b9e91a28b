namespace PatternTts.Service.Text.Normalization;

/// <summary>The legacy container's per-request <c>normalization_options</c>, with its defaults.</summary>
public sealed record NormalizationOptions
{
    public static readonly NormalizationOptions Default = new();

    public bool Normalize { get; init; } = true;

    /// <summary>Units after a number ("5 km", "21°C") read as words; on unless a request switches it off.</summary>
    public bool UnitNormalization { get; init; } = true;

    public bool UrlNormalization { get; init; } = true;

    public bool EmailNormalization { get; init; } = true;

    public bool OptionalPluralizationNormalization { get; init; } = true;

    public bool PhoneNormalization { get; init; } = true;

    public bool ReplaceRemainingSymbols { get; init; } = true;
}
