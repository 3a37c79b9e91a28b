namespace PatternTts.Service.Voices;

/// <summary>The Kokoro v1.0 voices and the names clients use for them.</summary>
public static class VoiceCatalog
{
    public const string DefaultVoice = "af_heart";

    /// <summary>The 54 voices of Kokoro v1.0 (kokoro-js ships one .bin file each).</summary>
    public static readonly IReadOnlyList<string> KokoroVoices =
    [
        "af_alloy", "af_aoede", "af_bella", "af_heart", "af_jessica", "af_kore", "af_nicole", "af_nova", "af_river",
        "af_sarah", "af_sky", "am_adam", "am_echo", "am_eric", "am_fenrir", "am_liam", "am_michael", "am_onyx",
        "am_puck", "am_santa", "bf_alice", "bf_emma", "bf_isabella", "bf_lily", "bm_daniel", "bm_fable", "bm_george",
        "bm_lewis", "ef_dora", "em_alex", "em_santa", "ff_siwis", "hf_alpha", "hf_beta", "hm_omega", "hm_psi",
        "if_sara", "im_nicola", "jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo", "pf_dora",
        "pm_alex", "pm_santa", "zf_xiaobei", "zf_xiaoni", "zf_xiaoxiao", "zf_xiaoyi", "zm_yunjian", "zm_yunxi",
        "zm_yunxia", "zm_yunyang",
    ];

    /// <summary>
    /// OpenAI's voice names as the legacy container maps them, plus the four it leaves unmapped (ballad, verse,
    /// marin, cedar), matched by character: ballad warm British male, verse bright expressive male, marin
    /// natural female, cedar deep male. <c>af</c> and <c>am</c> are the legacy container's default female and male.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["alloy"] = "am_adam",
        ["ash"] = "af_nicole",
        ["coral"] = "bf_emma",
        ["echo"] = "af_bella",
        ["fable"] = "af_sarah",
        ["onyx"] = "bm_george",
        ["nova"] = "bf_isabella",
        ["sage"] = "am_michael",
        ["shimmer"] = "af_sky",
        ["ballad"] = "bm_lewis",
        ["verse"] = "am_puck",
        ["marin"] = "af_kore",
        ["cedar"] = "am_onyx",
        ["af"] = "af_heart",
        ["am"] = "am_michael",
    };

    public static string Gender(string voiceId) => voiceId.Length > 1 && voiceId[1] == 'm' ? "male" : "female";
}
