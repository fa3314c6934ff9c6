using ViralityDashboard.Cli;

namespace ViralityDashboard.Tests.Cli;

/// <summary>
/// The verbs' option checks, without running them: a verb run with its defaults must parse (System.CommandLine's
/// command validators see 0 for an omitted option, which once made <c>bench-train</c> refuse its own default).
/// </summary>
public sealed class CommandLineParsingTests
{
    [Theory]
    [InlineData("bench-train")]
    [InlineData("bench-import")]
    [InlineData("bench-pages")]
    [InlineData("bench-serve")]
    [InlineData("bench-serve --videos 200000 --seconds 15 --concurrency 32")]
    [InlineData("bench-serve --client-nice 0")]
    [InlineData("bench-serve --client wrk")]
    [InlineData("bench-serve --client dotnet --concurrency 16")]
    [InlineData("seed-demo")]
    [InlineData("seed-demo --analyzed 600")]
    [InlineData("seed-demo --videos 100 --analyzed 60 --unrated 40")]
    [InlineData("bench-train --rows 100 --folds 0")]
    [InlineData("bench-monitor")]
    [InlineData("bench-monitor --videos 20000 --new-videos 2000 --generate-only")]
    [InlineData("bench-retention")]
    [InlineData("bench-retention --rows 1000000 --kept 0 --batch-size 10000")]
    [InlineData("prune-log --json")]
    [InlineData("import day1.csv --scraped-at 2017-11-14T12:00:00Z")]
    [InlineData("predict --views 1000 --likes 50 --hours-since-posting 48")]
    [InlineData("models rollback")]
    [InlineData("models rollback --features pre-posting --reason r4")]
    [InlineData("models rollback --kind preference")]
    public void VerbsParseWithTheirDefaults(string line)
    {
        var errors = CommandLineApp.CreateRoot().Parse(line).Errors.Select(e => e.Message);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("bench-train --rows 99", "--rows must be at least 100")]
    [InlineData("bench-train --folds 1", "--folds must be 0")]
    [InlineData("bench-import --runs 0", "--runs must be at least 1")]
    [InlineData("bench-pages --warmup -1", "--warmup cannot be negative")]
    [InlineData("bench-serve --concurrency 0", "--concurrency must be at least 1")]
    [InlineData("bench-serve --client-nice 20", "--client-nice must be between 0 and 19")]
    [InlineData("bench-serve --client curl", "curl")]
    [InlineData("bench-monitor --snapshots 1", "--snapshots must be at least 2")]
    [InlineData("bench-monitor --new-videos -1", "--new-videos must be at least 0")]
    [InlineData("bench-retention --batch-size 0", "--batch-size must be at least 1")]
    [InlineData("bench-retention --kept -1", "--kept must be at least 0")]
    [InlineData("seed-demo --videos 100", "cannot exceed --videos (100)")]
    [InlineData("seed-demo --analyzed -1", "cannot be negative")]
    [InlineData("import day1.csv --scraped-at yesterday", "--scraped-at 'yesterday' is not a date and time")]
    [InlineData("import day1.csv --scraped-at 2999-01-01T00:00:00Z", "--scraped-at 2999-01-01 00:00:00Z is in the future")]
    [InlineData("predict --views 1000 --hours-since-posting -1", "--hours-since-posting must not be negative")]
    [InlineData("predict --views 1000 --hours-since-posting 100001", "--hours-since-posting must be at most 100,000 hours")]
    [InlineData("models rollback --features nope", "'nope'")]
    [InlineData("models rollback --kind preference --features seed15", "--features names an engagement feature set")]
    public void BadValuesAreRefusedWithTheOptionNamed(string line, string expected)
    {
        var errors = CommandLineApp.CreateRoot().Parse(line).Errors.Select(e => e.Message).ToList();
        Assert.Contains(errors, m => m.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("seed15", "seed15")]
    [InlineData("pre-posting", "pre-posting")]
    public void RollbackTakesTheFeatureSetWhoseActiveVersionItRollsBack(string? given, string? expected)
    {
        string[] line = given is null ? ["models", "rollback"] : ["models", "rollback", "--features", given];

        var parsed = CommandLineApp.CreateRoot().Parse(line);

        Assert.Empty(parsed.Errors);
        Assert.Equal(expected, parsed.GetValue<ViralityDashboard.Core.Engagement.FeatureSet?>("--features")?.Name);
    }

    [Theory]
    [InlineData("2017-11-14T12:00:00Z")]
    [InlineData("2017-11-14T13:00:00+01:00")]
    [InlineData("2017-11-14 12:00:00")]
    public void ScrapedAtIsReadAsUtc(string value)
    {
        var parsed = CommandLineApp.CreateRoot().Parse(["import", "day1.csv", "--scraped-at", value]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(new DateTimeOffset(2017, 11, 14, 12, 0, 0, TimeSpan.Zero), parsed.GetValue<DateTimeOffset?>("--scraped-at"));
    }
}
