using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Components.Pages.Data;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Tests.Components.Pages.Data;

public sealed class DataPageTests : DashboardTestContext
{
    private readonly FakeVideos _videos = new();
    private readonly FakeImports _imports = new();

    public DataPageTests()
    {
        Services.AddSingleton<IVideoTableQueries>(_videos);
        Services.AddSingleton<IVideoImportCommands>(_imports);
    }

    private sealed class FakeVideos : IVideoTableQueries
    {
        public List<VideoPageRequest> Requests { get; } = [];

        /// <summary>When set, the first row of every page.</summary>
        public VideoRow? First { get; set; }

        public Task<VideoPage> GetPageAsync(VideoPageRequest request, CancellationToken ct = default)
        {
            Requests.Add(request);
            var rows = Enumerable.Range(0, request.PageSize).Select(i => 1_000_000L - request.Page * request.PageSize - i)
                .Select(id => new VideoRow(id, $"73012345678{id:D8}", "dance.daily", $"caption of video {id}", id * 10, id, id / 10, id / 20, null, 21,
                    DateTimeOffset.Parse("2026-11-20T10:00:00Z"), id % 7 == 0 ? DataQualityFlags.ZeroDuration : DataQualityFlags.None))
                .ToList();
            if (First is not null)
                rows[0] = First;
            return Task.FromResult(new VideoPage(rows, request.Filter is null ? 1_000_000 : 3, request.Filter is null));
        }

        public Task<ScrapedVideoRecord?> FindAsync(string platformVideoId, CancellationToken ct = default) => Task.FromResult<ScrapedVideoRecord?>(null);
    }

    private sealed class FakeImports : IVideoImportCommands
    {
        public string? Content { get; private set; }

        public async Task<ImportReport> ImportAsync(Stream file, IProgress<long>? progress, CancellationToken ct = default)
        {
            Content = await new StreamReader(file).ReadToEndAsync(ct);
            progress?.Report(3);
            return new ImportReport("csv", 3, 1, 1, 1, 0, [new ImportError("line 4", "views: not a number ('abc')")]);
        }
    }

    [Fact]
    public void ShowsTheFirstPageNewestFirstWithAnEstimatedTotal()
    {
        this.SignInAsViewer();

        var cut = Render<DataPage>();

        cut.WaitForAssertion(() => Assert.Contains("caption of video 1000000", cut.Markup));
        Assert.Equal(new VideoPageRequest(0, 25, null, VideoSort.Id, true), _videos.Requests[0]);
        Assert.Contains("estimate", cut.Markup);
        Assert.Contains("10,000,000", cut.Markup); // views of the first row, formatted
    }

    [Fact]
    public void SortingByViewsAsksTheServer()
    {
        this.SignInAsViewer();
        var cut = Render<DataPage>();
        cut.WaitForAssertion(() => Assert.Contains("caption of video 1000000", cut.Markup));

        var header = cut.FindAll("th").First(th => th.TextContent.Contains("Views"));
        header.QuerySelector(".sortable-column-header")!.Click();

        cut.WaitForAssertion(() => Assert.Contains(_videos.Requests, r => r.Sort == VideoSort.Views));
    }

    [Fact]
    public void AViewerSeesNoImport()
    {
        this.SignInAsViewer();

        var cut = Render<DataPage>();

        cut.WaitForAssertion(() => Assert.Contains("caption of video", cut.Markup));
        Assert.Empty(cut.FindAll("[data-testid=import-panel]"));
    }

    [Fact]
    public void TheImportPanelNamesEveryFormatAndItsSizeLimit()
    {
        this.SignInAsOwner();

        var cut = Render<DataPage>();

        var text = cut.Find("[data-testid=import-panel]").TextContent;
        Assert.Contains("Apify", text);
        Assert.Contains("JSON Lines", text);
        Assert.Contains("up to 512 MiB", text);
    }

    [Fact]
    public void TheOwnerUploadsAFileAndSeesTheReportWithEachRejection()
    {
        this.SignInAsOwner();
        var cut = Render<DataPage>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("video_id,views\n1,10\n2,20\n3,abc\n", "small.csv"));

        cut.WaitForAssertion(() => Assert.Contains("1 inserted", cut.Find("[data-testid=import-report]").TextContent));
        Assert.Contains("1 rejected", cut.Find("[data-testid=import-report]").TextContent);
        Assert.Contains("line 4", cut.Find("[data-testid=import-errors]").TextContent);
        Assert.Contains("not a number", cut.Find("[data-testid=import-errors]").TextContent);
        Assert.StartsWith("video_id,views", _imports.Content);
    }

    [Fact]
    public void AVideoWithCommentsTurnedOffShowsADashForCommentsAndAFlagChip()
    {
        _videos.First = new VideoRow(42, "7400000000000000002", "quiet.creator", "comments are off here", 1_000_000, 80_000, null, 900, null, 15,
            DateTimeOffset.Parse("2026-11-20T10:00:00Z"), DataQualityFlags.CommentsUnknown);
        this.SignInAsViewer();

        var cut = Render<DataPage>();

        cut.WaitForAssertion(() => Assert.Contains("comments are off here", cut.Markup));
        var headers = cut.FindAll("thead th").Select(th => th.TextContent.Trim()).ToList();
        var row = cut.FindAll("tbody tr").First(tr => tr.TextContent.Contains("comments are off here"));
        var cells = row.QuerySelectorAll("td");
        Assert.Equal("—", cells[headers.FindIndex(h => h.StartsWith("Comments", StringComparison.Ordinal))].TextContent.Trim());
        var chip = Assert.Single(row.QuerySelectorAll(".mud-chip"));
        Assert.Equal("comments off", chip.TextContent.Trim());
        Assert.Equal("1,000,000", cells[headers.FindIndex(h => h.StartsWith("Views", StringComparison.Ordinal))].TextContent.Trim());
    }
}
