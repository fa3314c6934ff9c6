using System.Text.Json.Nodes;
using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class AnalysisFlattenerTests
{
    private const string SeedExample = """
        {
          "script": {
            "replicability": {
              "score": 9,
              "requiredElements": ["Person", "Reaction"]
            }
          },
          "audio": {
            "soundEffects": ["laugh", "ding"]
          }
        }
        """;

    [Fact]
    public void FlattensTheSeedExampleExactly()
    {
        var expected = new Dictionary<string, FeatureValue>
        {
            ["script.replicability.score"] = FeatureValue.FromNumber(9),
            ["script.replicability.requiredElements_count"] = FeatureValue.FromNumber(2),
            ["script.replicability.requiredElements_empty"] = FeatureValue.FromBoolean(false),
            ["script.replicability.requiredElements_has_person"] = FeatureValue.FromBoolean(true),
            ["script.replicability.requiredElements_has_reaction"] = FeatureValue.FromBoolean(true),
            ["audio.soundEffects_count"] = FeatureValue.FromNumber(2),
            ["audio.soundEffects_empty"] = FeatureValue.FromBoolean(false),
            ["audio.soundEffects_has_laugh"] = FeatureValue.FromBoolean(true),
            ["audio.soundEffects_has_ding"] = FeatureValue.FromBoolean(true),
        };

        var flattened = AnalysisFlattener.Flatten(SeedExample);

        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), flattened.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void CountsTheSeedExampleAsNineFeatures()
    {
        var count = AnalysisFlattener.CountFeatures(SeedExample);

        Assert.Equal(9, count);
    }

    [Fact]
    public void FlattensAJsonNodeLikeTheSameText()
    {
        var node = JsonNode.Parse(SeedExample)!;

        var fromNode = AnalysisFlattener.Flatten(node);

        Assert.Equal(AnalysisFlattener.Flatten(SeedExample), fromNode);
    }

    [Fact]
    public void KeepsNullsStringsAndBooleansAsLeaves()
    {
        const string json = """{"trends":{"trendName":null,"memeDependent":true},"hook":{"type":"question"},"pacing":{"cutsPerMinute":12.5}}""";

        var flattened = AnalysisFlattener.Flatten(json);

        Assert.True(flattened["trends.trendName"].IsNull);
        Assert.Equal(FeatureValue.FromBoolean(true), flattened["trends.memeDependent"]);
        Assert.Equal(FeatureValue.FromString("question"), flattened["hook.type"]);
        Assert.Equal(12.5, flattened["pacing.cutsPerMinute"].Number);
    }

    [Fact]
    public void GivesAnEmptyArrayACountOfZeroAndNoFlags()
    {
        var flattened = AnalysisFlattener.Flatten("""{"audio":{"soundEffects":[]}}""");

        Assert.Equal(2, flattened.Count);
        Assert.Equal(0, flattened["audio.soundEffects_count"].Number);
        Assert.True(flattened["audio.soundEffects_empty"].Boolean);
    }

    [Fact]
    public void GivesNoPresenceFlagsToArraysThatAreNotAllStrings()
    {
        var flattened = AnalysisFlattener.Flatten("""{"shots":[{"length":2},{"length":3}],"mixed":["a",1]}""");

        Assert.Equal(["mixed_count", "mixed_empty", "shots_count", "shots_empty"], flattened.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, flattened["shots_count"].Number);
    }

    [Fact]
    public void RefusesAnAnalysisThatIsNotAnObject()
    {
        Assert.Throws<ArgumentException>(() => AnalysisFlattener.Flatten("[1, 2]"));
    }

    [Theory]
    [InlineData("Person", "person")]
    [InlineData("Hand-held (POV)", "hand_held__pov_")]
    [InlineData("record scratch!", "record_scratch_")]
    [InlineData("Cà phê sữa đá", "c__ph__s_a___")]
    [InlineData("🔥 Fire", "___fire")]
    [InlineData("MIXED case 123", "mixed_case_123")]
    [InlineData("", "")]
    public void SanitizesLikeTheSeed(string value, string expected)
    {
        var sanitized = AnalysisFlattener.Sanitize(value);

        Assert.Equal(expected, sanitized);
    }

    [Fact]
    public void TruncatesSanitizedValuesToThirtyCharacters()
    {
        var sanitized = AnalysisFlattener.Sanitize("An Extremely Long Sound Effect Name That Goes On");

        Assert.Equal("an_extremely_long_sound_effect", sanitized);
        Assert.Equal(30, sanitized.Length);
    }

    [Fact]
    public void MergesValuesThatSanitizeAlikeIntoOneFlag()
    {
        var flattened = AnalysisFlattener.Flatten("""{"tags":["Ding!","ding?"]}""");

        Assert.Equal(3, flattened.Count);
        Assert.True(flattened["tags_has_ding_"].Boolean);
    }

    [Fact]
    public void ReadsBooleansAsOneOrZeroAndStringsAsNoNumber()
    {
        Assert.Equal(1, FeatureValue.FromBoolean(true).AsNumber());
        Assert.Equal(0, FeatureValue.FromBoolean(false).AsNumber());
        Assert.Null(FeatureValue.FromString("x").AsNumber());
        Assert.Null(FeatureValue.Null.AsNumber());
    }
}
