using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Queries;

/// <summary>The version tags of the models some runs produced, for the run tables of both model kinds.</summary>
public static class RunVersionTags
{
    /// <summary>
    /// Id → tag. Projected in SQL: EF's <c>ToDictionaryAsync</c> on the entities read every column, the serialized
    /// models (megabytes for tree ensembles) included, on every render of the Training page.
    /// </summary>
    public static async Task<Dictionary<long, string>> OfAsync(ViralityDbContext db, IEnumerable<TrainingRun> runs, CancellationToken ct)
    {
        var ids = runs.Where(r => r.ModelVersionId != null).Select(r => r.ModelVersionId!.Value).Distinct().ToList();
        if (ids.Count == 0)
            return [];
        var pairs = await db.ModelVersions.Where(v => ids.Contains(v.Id)).Select(v => new { v.Id, v.VersionTag }).ToListAsync(ct);
        return pairs.ToDictionary(p => p.Id, p => p.VersionTag);
    }
}
