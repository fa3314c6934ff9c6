using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class TierExplanationTests
{
    [Theory]
    [InlineData(TrainerKind.Lbfgs)]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.FastForest)]
    [InlineData(TrainerKind.LightGbmOrdinal)]
    public void ContributionsWithTheBaseValueAddUpToTheScoreOfThePredictedTier(TrainerKind kind)
    {
        var (x, y) = TierModelTrainerTests.Separable(40, seed: 21);
        var model = TierModel.FromBytes(TierModelTrainer.Train(x, y, new TrainerOptions(kind, L2Regularization: 0.01f)).ToBytes(), kind);

        foreach (var row in x.Where((_, i) => i % 7 == 0))
        {
            var e = model.Explain(row);

            Assert.Equal(model.PredictTier(row), e.Tier);
            Assert.Equal(3, e.Contributions.Length);
            Assert.Equal(e.Score, e.BaseValue + e.Contributions.Sum(), 4);
        }
    }

    [Theory]
    [InlineData(TrainerKind.Lbfgs)]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.FastForest)]
    public void ExplainsTheScoresMlNetTurnsIntoTheTierProbabilities(TrainerKind kind)
    {
        var (x, y) = TierModelTrainerTests.Separable(40, seed: 22);
        var model = TierModelTrainer.Train(x, y, new TrainerOptions(kind, L2Regularization: 0.01f));

        foreach (var row in x.Where((_, i) => i % 11 == 0))
        {
            var scores = Enumerable.Range(1, 5).Select(t => model.Explain(row, t).Score).ToArray();
            var expected = model.PredictProbabilitiesWithMlNet(row);

            // Logits and LightGBM's raw scores go through a softmax; the forest's through each tier's Platt calibrator, then normalized.
            var fromScores = kind == TrainerKind.FastForest ? Normalize(Calibrated(model, scores)) : Softmax(scores);
            for (var t = 0; t < 5; t++)
                Assert.InRange(Math.Abs(expected[t] - fromScores[t]), 0, 1e-4);
        }
    }

    [Fact]
    public void NamesTheScoreAndMethodOfEachModelForm()
    {
        var (x, y) = TierModelTrainerTests.Separable(20, seed: 23);
        var linear = TierModelTrainer.Train(x, y).Explain(x[0]);
        var trees = TierModelTrainer.Train(x, y, new TrainerOptions(TrainerKind.LightGbm)).Explain(x[0]);

        Assert.Equal((ExplainedScore.Logit, "linear"), (linear.ScoreKind, linear.Method));
        Assert.Equal((ExplainedScore.RawScore, "tree-path"), (trees.ScoreKind, trees.Method));
    }

    [Fact]
    public void ExplainsTheOrdinalFormsOneScoreOnTheTierScale()
    {
        var (x, y) = TierModelTrainerTests.Separable(40, seed: 24);
        var model = TierModelTrainer.Train(x, y, new TrainerOptions(TrainerKind.LightGbmOrdinal));

        foreach (var row in x.Where((_, i) => i % 9 == 0))
        {
            var e = model.Explain(row);

            Assert.Equal((ExplainedScore.TierScore, "tree-path"), (e.ScoreKind, e.Method));
            Assert.Equal(model.TierScore(row)!.Value, e.Score, 3);
            Assert.Equal(e.Score, model.Explain(row, 1).Score, 12);
        }
    }

    private static double[] Softmax(double[] s)
    {
        var max = s.Max();
        var e = s.Select(v => Math.Exp(v - max)).ToArray();
        return Normalize(e);
    }

    private static double[] Normalize(double[] p) => p.Select(v => v / p.Sum()).ToArray();

    private static double[] Calibrated(TierModel model, double[] scores)
    {
        var ova = (OneVersusAllModelParameters)model.Predictor!;
        return TreeEnsembleExplainer.SubModels(ova).Select((m, c) =>
            (double)((ICalibrator)TreeEnsembleExplainer.Property(m, "Calibrator")!).PredictProbability((float)scores[c])).ToArray();
    }
}
