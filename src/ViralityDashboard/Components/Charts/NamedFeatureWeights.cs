using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Components.Charts;

/// <summary>A version's feature weights with the name to show in the legend.</summary>
public sealed record NamedFeatureWeights(string Name, FeatureWeights Weights);
