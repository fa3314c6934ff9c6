using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Api;

/// <summary><c>GET /api/backtest?version=TAG&amp;from=YYYY-MM-DD</c>: the <c>backtest</c> verb over HTTP, errors as problem details.</summary>
internal static class BacktestEndpoint
{
    public static void MapBacktestEndpoint(this RouteGroupBuilder api) => api.MapGet("/backtest", BacktestAsync);

    private static async Task<IResult> BacktestAsync(BacktestService backtest, string? version, string? from, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(version))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["'version' is required: the tag of the engagement version to backtest."] });
        DateOnly? since;
        try
        {
            since = BacktestService.ParseFrom(from);
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [e.Message] });
        }
        try
        {
            return TypedResults.Ok(await backtest.RunAsync(version, since, ct));
        }
        catch (ModelRegistryException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Unknown version");
        }
        catch (BacktestRefusedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "This version cannot be backtested");
        }
    }
}
