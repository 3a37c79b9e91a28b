namespace PatternTts.Service.ModelDownload;

/// <summary>
/// A progress bar on a terminal; in logs and CI (redirected output) one line per 10 %, because carriage-return
/// redraws turn into thousands of lines there.
/// </summary>
internal sealed class DownloadProgress(TextWriter writer, bool interactive, long totalBytes)
{
    private const int BarWidth = 30;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDraw;
    private int _lastDecile = -1;

    public void Report(long receivedBytes)
    {
        var fraction = totalBytes > 0 ? Math.Clamp((double)receivedBytes / totalBytes, 0, 1) : 0;
        if (interactive)
        {
            var now = _clock.Elapsed;
            if (now - _lastDraw < RedrawInterval && receivedBytes < totalBytes)
            {
                return;
            }
            _lastDraw = now;
            var filled = (int)(fraction * BarWidth);
            writer.Write($"\r[{new string('#', filled)}{new string('-', BarWidth - filled)}] {Describe(receivedBytes, fraction)}   ");
            writer.Flush();
            return;
        }

        var decile = (int)(fraction * 10);
        if (decile > _lastDecile)
        {
            _lastDecile = decile;
            writer.WriteLine(Describe(receivedBytes, fraction));
        }
    }

    public void Complete()
    {
        if (interactive)
        {
            writer.WriteLine();
        }
    }

    private string Describe(long receivedBytes, double fraction)
    {
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        return FormattableString.Invariant(
            $"{fraction * 100,5:0.0}%  {receivedBytes / 1048576.0:0.0}/{totalBytes / 1048576.0:0.0} MB  {receivedBytes / 1048576.0 / seconds:0.0} MB/s");
    }
}
