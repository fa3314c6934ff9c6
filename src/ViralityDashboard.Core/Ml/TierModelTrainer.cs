using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace ViralityDashboard.Core.Ml;

/// <summary>Fits a 5-tier classifier with ML.NET on feature vectors in memory.</summary>
public static class TierModelTrainer
{
    internal const string WeightColumn = "Weight";

    public static TierModel Train(IReadOnlyList<float[]> features, IReadOnlyList<int> labels, TrainerOptions? options = null)
    {
        options ??= new TrainerOptions();
        var featureCount = MlNetModel.CheckRows(features, labels.Count, "labels");
        var weights = options.BalancedClassWeights ? BalancedWeights(labels) : null;

        var rows = new TrainingExample[features.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            if (features[i].Length != featureCount)
                throw new ArgumentException($"Row {i} has {features[i].Length} features, expected {featureCount}.");
            if (labels[i] is < 1 or > TierModel.TierCount)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Row {i}: tiers lie in 1..{TierModel.TierCount}.");
            // Loading from objects, a key column takes 0-based values: tier t is class index t − 1.
            rows[i] = new TrainingExample { Features = features[i], Label = (uint)(labels[i] - 1), Weight = weights?[labels[i] - 1] ?? 1f };
        }

        var ml = new MLContext(options.Seed);
        if (options.Kind == TrainerKind.LightGbmOrdinal)
            return TrainOrdinal(ml, rows, labels, options, featureCount);
        var schema = TrainingSchema(featureCount);
        ITransformer transformer;
        IDataView data;
        if (options.Kind == TrainerKind.LightGbm && options.LightGbmEarlyStoppingRounds > 0)
        {
            // Early stopping needs rows the boosting never sees: a stratified validation fold, seeded.
            var split = Splits.Stratified(labels, options.ValidationFraction, options.Seed);
            data = ml.Data.LoadFromEnumerable(split.Train.Select(i => rows[i]), schema);
            var validation = ml.Data.LoadFromEnumerable(split.Test.Select(i => rows[i]), schema);
            transformer = LightGbm(ml, options).Fit(data, validation);
        }
        else
        {
            data = ml.Data.LoadFromEnumerable(rows, schema);
            transformer = CreateEstimator(ml, options).Fit(data);
        }
        return TierModel.Create(ml, transformer, data.Schema, options.Kind, featureCount);
    }

    /// <summary>n / (k · count) per tier, index 0 = tier 1; 0 for tiers without rows.</summary>
    public static float[] BalancedWeights(IReadOnlyList<int> labels)
    {
        var counts = new int[TierModel.TierCount];
        foreach (var t in labels)
            counts[t - 1]++;
        var present = counts.Count(c => c > 0);
        return counts.Select(c => c == 0 ? 0f : (float)(labels.Count / ((double)present * c))).ToArray();
    }

    // The example rows' Features and Label are ML.NET's default column names, so the trainers are not told them.
    private static IEstimator<ITransformer> CreateEstimator(MLContext ml, TrainerOptions o) => o.Kind switch
    {
        TrainerKind.Lbfgs => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            ExampleWeightColumnName = WeightColumn,
            L2Regularization = o.L2Regularization,
            L1Regularization = 0f,
            OptimizationTolerance = o.OptimizationTolerance,
            NumberOfThreads = 1,
        }),
        TrainerKind.LightGbm => LightGbm(ml, o),
        TrainerKind.FastForest => ml.MulticlassClassification.Trainers.OneVersusAll(
            ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
            {
                ExampleWeightColumnName = WeightColumn,
                NumberOfTrees = o.ForestTrees,
                NumberOfLeaves = o.ForestLeaves,
                NumberOfThreads = 1,
                Seed = o.Seed,
            }),
            useProbabilities: true),
        _ => throw new ArgumentOutOfRangeException(nameof(o), o.Kind, o.Kind == TrainerKind.Auto ? "auto is a search (AutoSearch), not a model form." : "Unknown trainer."),
    };

    private static LightGbmMulticlassTrainer LightGbm(MLContext ml, TrainerOptions o) =>
        ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            ExampleWeightColumnName = WeightColumn,
            NumberOfIterations = o.LightGbmIterations,
            NumberOfLeaves = o.LightGbmLeaves,
            LearningRate = o.LightGbmLearningRate,
            MinimumExampleCountPerLeaf = o.LightGbmMinDataPerLeaf,
            EarlyStoppingRound = o.LightGbmEarlyStoppingRounds,
            NumberOfThreads = 1,
            Seed = o.Seed,
            Deterministic = true,
            UseSoftmax = true,
            Silent = true,
        });

    /// <summary>
    /// LightGBM regression on the tier, then cut points chosen on a validation fold (the one early stopping uses) for
    /// the best macro-F1 there: rows the regression never learnt from, so the cuts do not fit its training noise.
    /// </summary>
    private static TierModel TrainOrdinal(MLContext ml, TrainingExample[] rows, IReadOnlyList<int> labels, TrainerOptions o, int featureCount)
    {
        var split = Splits.Stratified(labels, o.ValidationFraction, o.Seed);
        var schema = MlNetModel.VectorSchema<RegressionExample>(featureCount);
        RegressionExample Regression(int i) => new() { Features = rows[i].Features, Label = labels[i], Weight = rows[i].Weight };
        var data = ml.Data.LoadFromEnumerable(split.Train.Select(Regression), schema);
        var validation = ml.Data.LoadFromEnumerable(split.Test.Select(Regression), schema);
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            ExampleWeightColumnName = WeightColumn,
            NumberOfIterations = o.LightGbmIterations,
            NumberOfLeaves = o.LightGbmLeaves,
            LearningRate = o.LightGbmLearningRate,
            MinimumExampleCountPerLeaf = o.LightGbmMinDataPerLeaf,
            EarlyStoppingRound = o.LightGbmEarlyStoppingRounds,
            NumberOfThreads = 1,
            Seed = o.Seed,
            Deterministic = true,
            Silent = true,
        });
        var transformer = trainer.Fit(data, validation);
        var scores = transformer.Transform(validation).GetColumn<float>("Score").ToArray();
        var actual = split.Test.Select(i => labels[i]).ToArray();
        var cuts = OrdinalCuts.Learn(scores, actual);
        return TierModel.CreateOrdinal(ml, transformer, data.Schema, featureCount, cuts);
    }

    internal static SchemaDefinition TrainingSchema(int featureCount)
    {
        var schema = MlNetModel.VectorSchema<TrainingExample>(featureCount);
        schema[nameof(TrainingExample.Label)].ColumnType = new KeyDataViewType(typeof(uint), TierModel.TierCount);
        return schema;
    }

    internal sealed class RegressionExample
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
        public float Weight { get; set; }
    }

    internal sealed class TrainingExample
    {
        public float[] Features { get; set; } = [];
        public uint Label { get; set; }
        public float Weight { get; set; }
    }
}
