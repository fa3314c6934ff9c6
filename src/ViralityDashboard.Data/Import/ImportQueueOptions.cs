namespace ViralityDashboard.Data.Import;

/// <summary>Settings under <c>Virality:Import</c> (environment: <c>Virality__Import__WaitSeconds</c>).</summary>
public sealed class ImportQueueOptions
{
    public const string Section = "Virality:Import";

    /// <summary>
    /// Imports into scraped_videos take turns; a second one waits this long for the one before it to finish, then is
    /// refused (the API's 503 with <c>Retry-After</c>, the CLI's exit code 3), having written nothing.
    /// </summary>
    public int WaitSeconds { get; set; } = 120;

    public static IEnumerable<string> Validate(ImportQueueOptions options)
    {
        if (options.WaitSeconds is < 1 or > 3600)
            yield return $"{Section}:{nameof(WaitSeconds)} must be from 1 to 3600 seconds (it is {options.WaitSeconds})";
    }
}
