namespace PatternTts.Service.Audio;

internal static partial class AudioLog
{
    [LoggerMessage(EventId = 3001, EventName = "AacEncoderStarted", Level = LogLevel.Debug, Message = "Started ffmpeg AAC encoder, pid {Pid}")]
    public static partial void AacEncoderStarted(ILogger logger, int pid);

    [LoggerMessage(EventId = 3002, EventName = "AacEncoderKilled", Level = LogLevel.Information, Message = "Killed ffmpeg AAC encoder pid {Pid} before completion (stream abandoned)")]
    public static partial void AacEncoderKilled(ILogger logger, int pid);
}
