using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using Microsoft.Extensions.Validation.Embedded;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Api;

/// <remarks>
/// Checked by the framework's validation (<see cref="ApiValidation"/>) by the import's rules (<see cref="FieldRules"/>):
/// the same limits on counts, followers, duration and posting time. The messages name each field by its JSON name,
/// as the API has always worded them: DataAnnotations would format the C# name into <c>{0}</c>.
/// </remarks>
[ValidatableType]
public sealed record PredictRequest(
    [Required(ErrorMessage = "'views' is required."), Count] long? Views,
    [Required(ErrorMessage = "'likes' is required."), Count] long? Likes,
    [Required(ErrorMessage = "'shares' is required."), Count] long? Shares,
    [Required(ErrorMessage = "'comments' is required."), Count] long? Comments,
    [Count] long? Saves,
    [Range(0d, double.MaxValue, ErrorMessage = "'durationSeconds' must be 0 or more.")]
    [AtMost(FieldRules.MaxDurationSeconds, ErrorMessage = "'durationSeconds' must be at most 36000 (10 hours).")] double? DurationSeconds,
    IReadOnlyList<string>? Hashtags,
    string? SoundName, bool? SoundOriginal, string? Description,
    [Count(FieldRules.MaxFollowers)] long? AuthorFollowers,
    bool? AuthorVerified, [PostedAt] DateTimeOffset? PostedAt, string? Version, string? FeatureSet = null, string? VideoId = null,
    [Range(0d, ObservationAge.MaxHours, ErrorMessage = "'hoursSincePosting' must be from 0 to 100,000 hours (about 11 years).")] double? HoursSincePosting = null);

/// <param name="Kind">Rollback only: engagement (default) or preference.</param>
/// <summary>
/// The engagement prediction as the API answers it. The model computes in single precision; sending its
/// figures as float (shortest round-trip form) instead of widened doubles halves the numbers' text.
/// </summary>
/// <param name="Contributions">Every feature's part of the predicted tier's score, largest first; <paramref name="Explanation"/> says which score.</param>
/// <param name="Explanation">Null when the model cannot be explained; <paramref name="NoExplanationReason"/> then says why.</param>
/// <param name="Age">For a model that reads the age (the early set): the age used, the ages it was trained on, a warning outside them.</param>
public sealed record PredictResponse(
    string VersionTag, string FeatureSet, int Tier, IReadOnlyList<float> Probabilities, double Score,
    IReadOnlyList<ApiContribution> Contributions, IReadOnlyDictionary<string, float> Features,
    ApiExplanation? Explanation = null, string? NoExplanationReason = null, AgeReport? Age = null)
{
    public static PredictResponse From(PredictionOutcome p)
    {
        var contributions = new ApiContribution[p.Contributions.Count];
        for (var i = 0; i < contributions.Length; i++)
        {
            var c = p.Contributions[i];
            contributions[i] = new ApiContribution(c.Feature, (float)c.Value, (float?)c.Weight, (float)c.Contribution);
        }
        var explanation = p.Explanation is { } e ? new ApiExplanation(e.ScoreKind, e.Method, (float)e.BaseValue, (float)e.Score) : null;
        return new PredictResponse(p.VersionTag, p.FeatureSet, p.Tier, p.Probabilities, Math.Round(p.Score, 4), contributions, p.Features,
            explanation, p.NoExplanationReason, p.Age);
    }
}

/// <param name="Weight">The linear model's weight for the tier; null for tree models.</param>
public sealed record ApiContribution(string Feature, float Value, float? Weight, float Contribution);

/// <summary><paramref name="BaseValue"/> + Σ contributions = <paramref name="TierScore"/>, the model's <paramref name="ScoreKind"/> (logit, rawScore, or the ordinal form's tierScore) for the predicted tier.</summary>
public sealed record ApiExplanation(ExplainedScore ScoreKind, string Method, float BaseValue, float TierScore);

/// <param name="Kind">Rollback only: engagement (default) or preference.</param>
/// <param name="FeatureSet">Rollback only: whose active version (each feature set has its own); default the one activated last.</param>
[ValidatableType]
public sealed record ReasonRequest([Required(ErrorMessage = "'reason' is required.")] string? Reason, string? Kind = null, string? FeatureSet = null);

/// <param name="Reason">Optional: kept in the audit log.</param>
public sealed record ShadowRequest(string? Reason);

/// <param name="Kind">engagement (default) or preference; the other fields apply to engagement runs only.</param>
public sealed record RetrainRequest(string? FeatureSet, string? TierScheme, string? Trainer, string? Split, string? Kind = null);

/// <param name="Analysis">The nested visual analysis (seed 003), as a JSON object.</param>
/// <param name="Version">A preference version tag; default the active one.</param>
public sealed record PreferencePredictRequest(JsonElement? Analysis, string? Version);

public sealed record RetrainAccepted(Guid RequestId, string Status);

/// <summary>JSON API for scripts: cookie or X-Api-Key; mutations need the Owner policy; bad input is a 400 naming the field.</summary>
public static class ApiEndpoints
{
    /// <summary>Cookie or API key, whichever the caller sent.</summary>
    public const string ApiUserPolicy = "ApiUser";

    /// <summary>The generated serializers first, reflection for the rest; also the options of the endpoints' JSON results.</summary>
    public static void ConfigureApiJson(JsonSerializerOptions options) => options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);

    private static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        // Stricter than the web defaults, as the import is: a number sent as a string ("1000", "NaN") and a key sent twice
        // (which value wins?) are errors, not guesses.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
            AllowDuplicateProperties = false,
        };
        ConfigureApiJson(options);
        options.MakeReadOnly();
        return options;
    }

    public static void MapApiEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiUserPolicy).DisableAntiforgery().RefuseCrossSiteWrites();
        api.MapPost("/predict", PredictAsync);
        api.MapPost("/predict/preference", PredictPreferenceAsync);
        api.MapGet("/models", async (ITrainingQueries q, CancellationToken ct) => Results.Ok(await q.VersionsAsync(ct)));
        api.MapPost("/models/{tag}/activate", ActivateAsync).RequireAuthorization(Policies.Owner);
        api.MapPost("/models/rollback", RollbackAsync).RequireAuthorization(Policies.Owner);
        api.MapPost("/models/{tag}/shadow", (string tag, HttpRequest http, HttpContext context, IModelShadowing registry, CancellationToken ct) =>
            ShadowAsync(tag, shadow: true, http, context, registry, ct)).RequireAuthorization(Policies.Owner);
        api.MapDelete("/models/{tag}/shadow", (string tag, HttpRequest http, HttpContext context, IModelShadowing registry, CancellationToken ct) =>
            ShadowAsync(tag, shadow: false, http, context, registry, ct)).RequireAuthorization(Policies.Owner);
        api.MapPost("/retrain", RetrainAsync).RequireAuthorization(Policies.Owner);
        api.MapGet("/runs/{id}", RunAsync);
        api.MapImportEndpoint();
        api.MapMonitoringEndpoint();
        api.MapBacktestEndpoint();
    }

    private static async Task<IResult> PredictAsync(HttpRequest http, PredictionService predictions, IVideoTableQueries videos, TimeProvider clock, CancellationToken ct)
    {
        var (body, error) = await ReadAsync<PredictRequest>(http, ct);
        if (error is not null)
            return error;
        if (await ApiValidation.ProblemAsync(body!, http.HttpContext, ct) is { } problem)
            return problem;
        if (body!.FeatureSet is { } set && !FeatureSet.BuiltIn.Any(f => f.Name == set))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["featureSet"] = [$"'featureSet' must be one of {string.Join(", ", FeatureSet.BuiltIn.Select(f => f.Name))}."] });
        // The log links the prediction to the named video; a name that is no stored video is the caller's mistake.
        if (!string.IsNullOrWhiteSpace(body.VideoId) && await videos.FindAsync(body.VideoId, ct) is null)
            return Results.Problem($"'videoId' names no stored video: '{FieldRules.Shorten(body.VideoId.Trim())}'.", statusCode: StatusCodes.Status404NotFound);
        var video = new ScrapedVideoRecord
        {
            VideoId = "api",
            Views = body!.Views!.Value, Likes = body.Likes!.Value, Shares = body.Shares!.Value, Comments = body.Comments!.Value, Saves = body.Saves,
            DurationSeconds = body.DurationSeconds, Hashtags = body.Hashtags ?? [], SoundName = body.SoundName, SoundOriginal = body.SoundOriginal,
            Description = body.Description, AuthorFollowers = body.AuthorFollowers, AuthorVerified = body.AuthorVerified, CreatedAt = body.PostedAt,
        };
        // The age the early set reads: as sent, else from the posting time to now (the counts are taken as of now).
        var now = clock.GetUtcNow();
        video = body.HoursSincePosting is { } hours ? ObservationAge.At(video, hours, now)
            : body.PostedAt is not null ? video with { ScrapedAt = now }
            : video;
        try
        {
            return TypedResults.Ok(PredictResponse.From(await predictions.PredictAsync(video, body.Version, body.FeatureSet, PredictionSource.Api, body.VideoId, ct)));
        }
        catch (ModelRegistryException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static async Task<IResult> PredictPreferenceAsync(HttpRequest http, PreferencePredictionService predictions, CancellationToken ct)
    {
        var (body, error) = await ReadAsync<PreferencePredictRequest>(http, ct);
        if (error is not null)
            return error;
        if (body!.Analysis is not { } analysis || analysis.ValueKind == JsonValueKind.Null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["analysis"] = ["'analysis' is required: the video's visual analysis as a JSON object."] });
        if (analysis.ValueKind != JsonValueKind.Object)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["analysis"] = [$"'analysis' must be a JSON object, not {analysis.ValueKind.ToString().ToLowerInvariant()}."] });
        try
        {
            return Results.Ok(await predictions.PredictAsync(analysis, body.Version, ct));
        }
        catch (Core.Preference.InsufficientCoverageException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["analysis"] = [e.Message] }, detail: e.Message);
        }
        catch (ModelRegistryException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static async Task<IResult> ActivateAsync(string tag, HttpRequest http, HttpContext context, IModelActivation registry, CancellationToken ct)
    {
        var (body, error) = await ReadAsync<ReasonRequest>(http, ct);
        if ((error ?? await ApiValidation.ProblemAsync(body!, http.HttpContext, ct)) is { } problem)
            return problem;
        try
        {
            return Results.Ok(await registry.ActivateAsync(tag, context.User.Identity?.Name ?? "api", body!.Reason!.Trim(), ct));
        }
        catch (ModelRegistryException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static async Task<IResult> RollbackAsync(HttpRequest http, HttpContext context, IModelActivation registry, CancellationToken ct)
    {
        var (body, error) = await ReadAsync<ReasonRequest>(http, ct);
        if ((error ?? await ApiValidation.ProblemAsync(body!, http.HttpContext, ct)) is { } problem)
            return problem;
        var kind = TrainingRequest.Kind;
        if (body!.Kind is not null && !WireNames.Of<ModelKind>().Contains(body.Kind))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = [$"'kind' must be one of {string.Join(", ", WireNames.Of<ModelKind>())}."] });
        if (body.Kind is not null)
            kind = WireNames.Parse<ModelKind>(body.Kind);
        if (kind == ModelKind.Engagement && body.FeatureSet is { } set && !FeatureSet.BuiltIn.Any(f => f.Name == set))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["featureSet"] = [$"'featureSet' must be one of {string.Join(", ", FeatureSet.BuiltIn.Select(f => f.Name))}."] });
        try
        {
            return Results.Ok(await registry.RollbackAsync(kind, context.User.Identity?.Name ?? "api", body.Reason!.Trim(), ct, body.FeatureSet));
        }
        catch (ModelRegistryException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    /// <summary>Puts a version in shadow or takes it out; the body (<c>{"reason":…}</c>) is optional. Unknown tag 404, refused 409.</summary>
    private static async Task<IResult> ShadowAsync(string tag, bool shadow, HttpRequest http, HttpContext context, IModelShadowing registry, CancellationToken ct)
    {
        string? reason = null;
        if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
        {
            var (body, error) = await ReadAsync<ShadowRequest>(http, ct);
            if (error is not null)
                return error;
            reason = string.IsNullOrWhiteSpace(body!.Reason) ? null : body.Reason.Trim();
        }
        var who = context.User.Identity?.Name ?? "api";
        try
        {
            return Results.Ok(shadow ? await registry.ShadowAsync(tag, who, reason, ct) : await registry.UnshadowAsync(tag, who, reason, ct));
        }
        catch (ModelVersionNotFoundException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status404NotFound);
        }
        catch (ModelRegistryException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static async Task<IResult> RetrainAsync(HttpRequest http, HttpContext context, ITrainingLauncher launcher, CancellationToken ct)
    {
        RetrainRequest? body = new(null, null, null, null, null);
        if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
        {
            (body, var error) = await ReadAsync<RetrainRequest>(http, ct);
            if (error is not null)
                return error;
        }
        // The body names its choices as the CLI does (exactly); each is parsed here, once, into its type.
        var errors = new Dictionary<string, string[]>();
        int Choose(string field, string? value, IReadOnlyList<string> names)
        {
            var index = value is null ? -1 : names.ToList().IndexOf(value);
            if (value is not null && index < 0)
                errors[field] = [$"'{field}' must be one of {string.Join(", ", names)}."];
            return index;
        }
        T? Named<T>(string field, string? value, IReadOnlyList<T> all, Func<T, string> nameOf) where T : class =>
            Choose(field, value, all.Select(nameOf).ToArray()) is var i and >= 0 ? all[i] : null;
        T? Wired<T>(string field, string? value, IReadOnlyList<T> all) where T : struct, Enum =>
            Choose(field, value, all.Select(v => v.Wire()).ToArray()) is var i and >= 0 ? all[i] : null;
        var featureSet = Named("featureSet", body!.FeatureSet, FeatureSet.BuiltIn, f => f.Name);
        var tierScheme = Named("tierScheme", body.TierScheme, TierScheme.BuiltIn, t => t.Name);
        var trainer = Wired("trainer", body.Trainer, Enum.GetValues<TrainerKind>());
        var split = Wired("split", body.Split, TrainingRequest.Splits);
        var kind = Wired("kind", body.Kind, Enum.GetValues<ModelKind>());
        if (errors.Count > 0)
            return Results.ValidationProblem(errors);
        var id = await launcher.LaunchAsync(new TrainingRequest(featureSet, tierScheme, trainer, split, RequestedBy: context.User.Identity?.Name, ModelKind: kind), ct);
        return Results.Accepted($"/api/runs/{id}", new RetrainAccepted(id, "queued"));
    }

    /// <summary>By run id, or by the request id a retrain returned.</summary>
    private static async Task<IResult> RunAsync(string id, ITrainingQueries queries, TrainingLauncher launcher, CancellationToken ct)
    {
        if (Guid.TryParse(id, out var requestId))
        {
            // Queued means its trigger is still in Quartz's store. The row is looked for again after the trigger: a run
            // writes its row before its trigger is removed, so one that finished between the two looks is not a 404.
            var row = await queries.RunByRequestAsync(requestId, ct);
            if (row is null && await launcher.HasPendingAsync(r => r.RequestId == requestId, ct))
                return Results.Ok(new RetrainAccepted(requestId, "queued"));
            row ??= await queries.RunByRequestAsync(requestId, ct);
            return row is null
                ? Results.Problem($"No training run or queued retrain has request id {requestId}.", statusCode: StatusCodes.Status404NotFound)
                : Results.Ok(await queries.RunAsync(row.Id, ct));
        }
        if (!long.TryParse(id, out var runId) || runId <= 0)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["'id' must be a run id (a positive number) or a request id (a GUID)."] });
        return await queries.RunAsync(runId, ct) is { } run ? Results.Ok(run) : Results.Problem($"No training run {runId}.", statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>Reads the body as JSON; malformed JSON or a wrong type becomes a 400 naming the field by its JSON name.</summary>
    private static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest http, CancellationToken ct) where T : class
    {
        var type = Json.GetTypeInfo(typeof(T));
        try
        {
            var value = (T?)await JsonSerializer.DeserializeAsync(http.Body, type, ct);
            return value is null
                ? (null, Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A JSON object is required."] }))
                : (value, null);
        }
        catch (JsonException e)
        {
            var (field, message) = JsonBodyErrors.Describe(e, type);
            return (null, Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }));
        }
    }
}
