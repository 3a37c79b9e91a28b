namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A setting for a surface that helps developers and should not face the internet by accident: <c>auto</c> opens it
/// in Development only, <c>true</c> and <c>false</c> decide for every environment.
/// </summary>
public static class FeatureSwitch
{
    public const string Auto = "auto";

    public static bool IsValid(string? value) =>
        value is not null && (value.Equals(Auto, StringComparison.OrdinalIgnoreCase) || bool.TryParse(value, out _));

    public static bool IsOn(string? value, IHostEnvironment environment) =>
        bool.TryParse(value, out var on) ? on : environment.IsDevelopment();
}
