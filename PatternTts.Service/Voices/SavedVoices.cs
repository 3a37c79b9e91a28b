using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace PatternTts.Service.Voices;

/// <summary>A mix kept under a stable id: <c>voice_</c> and a hash of its recipe, so every replica names it alike.</summary>
public sealed record SavedVoice(string Id, string Recipe, DateTimeOffset Created)
{
    public const string IdPrefix = "voice_";

    public static bool IsId(string name) => name.StartsWith(IdPrefix, StringComparison.Ordinal);

    /// <summary>The id of a recipe: the same mix always gets the same id.</summary>
    public static string IdOf(string recipe) =>
        IdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipe.Trim().ToLowerInvariant())))[..16];
}

/// <summary>Where saved voices' recipes live: files under TTS_TEMP_DIR, or Redis when the replicas share one.</summary>
public interface ISavedVoices
{
    SavedVoice? Find(string id);

    IReadOnlyList<SavedVoice> All();

    void Save(SavedVoice voice);
}

/// <summary>One JSON file a voice under <c>TTS_TEMP_DIR/voices/ids</c>.</summary>
public sealed class FileSavedVoices(IOptions<TtsOptions> options) : ISavedVoices
{
    private string Directory => Path.Combine(options.Value.TempDir, "voices", "ids");

    public SavedVoice? Find(string id)
    {
        var path = Path.Combine(Directory, id + ".json");
        return IsSafe(id) && File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), ServiceJsonContext.Readable.SavedVoice) : null;
    }

    public IReadOnlyList<SavedVoice> All() => System.IO.Directory.Exists(Directory)
        ? [.. System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Select(path => JsonSerializer.Deserialize(File.ReadAllBytes(path), ServiceJsonContext.Readable.SavedVoice)!)
            .OrderBy(v => v.Id, StringComparer.Ordinal)]
        : [];

    public void Save(SavedVoice voice)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, voice.Id + ".json");
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(voice, ServiceJsonContext.Readable.SavedVoice));
        File.Move(temporary, path, overwrite: true);
    }

    private static bool IsSafe(string id) => id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

/// <summary>One Redis hash (<c>pattern-tts:voices</c>) for the fleet, so a mix saved on one replica speaks on every one.</summary>
public sealed class RedisSavedVoices(IConnectionMultiplexer redis) : ISavedVoices
{
    private const string Key = "pattern-tts:voices";

    public SavedVoice? Find(string id) =>
        redis.GetDatabase().HashGet(Key, id) is { HasValue: true } value
            ? JsonSerializer.Deserialize((string)value!, ServiceJsonContext.Readable.SavedVoice)
            : null;

    public IReadOnlyList<SavedVoice> All() =>
        [.. redis.GetDatabase().HashGetAll(Key)
            .Select(entry => JsonSerializer.Deserialize((string)entry.Value!, ServiceJsonContext.Readable.SavedVoice)!)
            .OrderBy(v => v.Id, StringComparer.Ordinal)];

    public void Save(SavedVoice voice) =>
        redis.GetDatabase().HashSet(Key, voice.Id, JsonSerializer.Serialize(voice, ServiceJsonContext.Readable.SavedVoice));
}
