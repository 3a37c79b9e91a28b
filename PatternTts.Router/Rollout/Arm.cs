using System.Text.Json.Serialization;

namespace PatternTts.Router.Rollout;

[JsonConverter(typeof(JsonStringEnumConverter<Arm>))]
public enum Arm
{
    [JsonStringEnumMemberName("legacy")] Legacy,
    [JsonStringEnumMemberName("new")] New,
}

public static class Arms
{
    /// <summary>Request header that forces an arm, and response header naming the arm that served.</summary>
    public const string HeaderName = "X-Pattern-Arm";

    public const string UserHeaderName = "X-Pattern-User";

    /// <summary>Marks mirrored requests so the new arm (and its logs) can tell them from live traffic.</summary>
    public const string ShadowHeaderName = "X-Pattern-Shadow";

    public const string LegacyClusterId = "legacy";
    public const string NewClusterId = "new";

    public static string ClusterId(this Arm arm) => arm == Arm.New ? NewClusterId : LegacyClusterId;

    public static Arm Other(this Arm arm) => arm == Arm.New ? Arm.Legacy : Arm.New;

    public static bool TryParse(string? value, out Arm arm)
    {
        if (string.Equals(value, LegacyClusterId, StringComparison.OrdinalIgnoreCase))
        {
            arm = Arm.Legacy;
            return true;
        }

        if (string.Equals(value, NewClusterId, StringComparison.OrdinalIgnoreCase))
        {
            arm = Arm.New;
            return true;
        }

        arm = default;
        return false;
    }
}
