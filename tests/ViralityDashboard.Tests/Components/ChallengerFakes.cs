using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training.Monitoring;
using ViralityDashboard.Training.Registry;

namespace ViralityDashboard.Tests.Components;

/// <summary>Champion/challenger and drift figures for the Models and Training pages; records shadow changes.</summary>
public sealed class FakeChallengers : IChallengerComparison, IModelShadowing, IDriftTriggerCheck
{
    public static readonly DateTimeOffset T0 = FakeTraining.T0;

    /// <summary>Empty by default: a fresh install has no candidates, no shadows and no matured predictions.</summary>
    public ChallengerReport Report { get; set; } = new(new Dictionary<string, string>(), [], []);

    public DriftEvaluation Drift { get; set; } = new(false, "No active engagement version: nothing to judge.", [], null, null, null);

    public List<(string Tag, bool Shadow, string Who, string? Reason)> ShadowChanges { get; } = [];

    /// <summary>A champion r2, an idle candidate r1 and a shadow r4 that beat r2 on 180 shared videos.</summary>
    public static ChallengerReport WithChallenger() => new(
        new Dictionary<string, string> { ["seed15"] = "eng-20261121-030000-r2" },
        [
            new("eng-20261123-030000-r4", "seed15", T0.AddDays(3), true, 0.73),
            new("eng-20261120-030000-r1", "seed15", T0, false, 0.68),
        ],
        [
            new("eng-20261121-030000-r2", "eng-20261123-030000-r4", "seed15", 180,
                new ChallengerFigures(180, 0.65, 0.61, 0.80), new ChallengerFigures(180, 0.70, 0.66, 0.83), 0.05, 0.004, 0.096, 21, 12),
        ]);

    public void Register(IServiceCollection services)
    {
        services.AddSingleton<IChallengerComparison>(this);
        services.AddSingleton<IModelShadowing>(this);
        services.AddSingleton<IDriftTriggerCheck>(this);
    }

    public Task<ChallengerReport> CompareAsync(CancellationToken ct = default) => Task.FromResult(Report);

    public Task<DriftEvaluation> EvaluateAsync(CancellationToken ct = default) => Task.FromResult(Drift);

    public Task<ActivationChange> ShadowAsync(string tag, string changedBy, string? reason, CancellationToken ct = default) => Change(tag, true, changedBy, reason);

    public Task<ActivationChange> UnshadowAsync(string tag, string changedBy, string? reason, CancellationToken ct = default) => Change(tag, false, changedBy, reason);

    private Task<ActivationChange> Change(string tag, bool shadow, string who, string? reason)
    {
        ShadowChanges.Add((tag, shadow, who, reason));
        return Task.FromResult(new ActivationChange(ShadowChanges.Count, ModelKind.Engagement, shadow ? ActivationAction.Shadow : ActivationAction.Unshadow,
            null, tag, who, T0, reason));
    }
}
