using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace PatternTts.Service.Tests.Voices;

public sealed class VoiceStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tts-voices-").FullName;
    private readonly VoiceStore _store;

    public VoiceStoreTests()
    {
        StandInVoices.Write(_directory, "af_heart", "af_sky");
        _store = new VoiceStore(Options.Create(new TtsOptions { VoicesPath = _directory }), NullLogger<VoiceStore>.Instance);
    }

    [Fact]
    public void RepeatedMixIsComputedOnce()
    {
        var first = _store.Resolve("af_heart(2)+af_sky(1)");

        Assert.Same(first, _store.Resolve("af_heart(2)+af_sky(1)"));
    }

    [Fact]
    public void MixCacheKeepsOnlyTheNewestMixesSoClientsCannotGrowMemory()
    {
        // Arrange
        var oldest = _store.Resolve("af_heart(1)+af_sky(1)");

        // Act: more distinct expressions than the cache holds.
        VoicePack newest = oldest;
        for (var i = 2; i <= VoiceStore.MaxCachedMixes + 5; i++)
        {
            newest = _store.Resolve($"af_heart({i})+af_sky(1)");
        }

        // Assert: the oldest was evicted (recomputed, same values), the newest is still cached, files stay cached.
        var again = _store.Resolve("af_heart(1)+af_sky(1)");
        Assert.NotSame(oldest, again);
        Assert.Equal(oldest.StyleFor(10).ToArray(), again.StyleFor(10).ToArray());
        Assert.Same(newest, _store.Resolve($"af_heart({VoiceStore.MaxCachedMixes + 5})+af_sky(1)"));
        Assert.Same(_store.Resolve("af_heart"), _store.Resolve("af_heart"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
