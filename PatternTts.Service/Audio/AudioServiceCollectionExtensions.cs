namespace PatternTts.Service.Audio;

public static class AudioServiceCollectionExtensions
{
    public static IServiceCollection AddAudioEncoders(this IServiceCollection services)
    {
        services.AddSingleton<IAudioEncoderFactory, AudioEncoderFactory>();
        return services;
    }
}
