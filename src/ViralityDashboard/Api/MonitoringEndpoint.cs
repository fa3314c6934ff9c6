using System.Globalization;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.Api;

/// <summary>
/// <c>GET /api/monitoring?version=&amp;weeks=</c>: what <c>monitor --json</c> prints, for any signed-in user or the API key.
/// An unknown version is a 404; a bad <c>weeks</c> a 400 naming it.
/// </summary>
internal static class MonitoringEndpoint
{
    private const int DefaultWeeks = 12;

    public static void MapMonitoringEndpoint(this RouteGroupBuilder api) => api.MapGet("/monitoring", GetAsync);

    // weeks arrives as text: bound as int, "abc" would be the framework's bare 400 rather than one that names the field.
    private static async Task<IResult> GetAsync(string? version, string? weeks, IMonitoringQueries monitoring, CancellationToken ct)
    {
        var count = DefaultWeeks;
        if (weeks is not null && (!int.TryParse(weeks, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["weeks"] = [$"'weeks' must be a whole number, 1 or more (got '{weeks}')."] });
        try
        {
            return TypedResults.Ok(await monitoring.GetAsync(string.IsNullOrWhiteSpace(version) ? null : version, count, ct));
        }
        catch (ModelRegistryException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound);
        }
    }
}
