using PatternTts.Service.Text.Normalization;

namespace PatternTts.Service.Pipeline;

/// <summary>The first stage: written text → normalized words, given phonemes, and pauses, in order.</summary>
public sealed class SpeechTextPreparer
{
    public IReadOnlyList<PlanInput> Prepare(string text, NormalizationOptions normalization)
    {
        return [new PlanInput.Words(text)];
    }
}
