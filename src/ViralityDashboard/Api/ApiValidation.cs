using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.Api;

/// <summary>
/// Runs .NET's minimal-API validation (<c>AddValidation</c>, DataAnnotations on the request records) on a body the
/// endpoint has read itself. The endpoints read their bodies so that malformed JSON is a 400 naming the field
/// from the JSON path, which the framework's body binding does not give; so the framework's automatic endpoint
/// filter never sees the body, and this calls the same validator.
/// </summary>
/// <remarks>
/// Calling the validator directly (<see cref="ValidateContext"/>, <c>TryGetValidatableTypeInfo</c>) is marked
/// experimental in .NET 10 (ASP0029), while <c>AddValidation</c>, the source generator and the attributes are not:
/// it is suppressed in this one file, which is what to revisit if that API changes.
/// </remarks>
#pragma warning disable ASP0029
internal static class ApiValidation
{
    /// <summary>The 400 problem naming each invalid field by its JSON (camelCase) name, or null when the body is valid.</summary>
    public static async Task<IResult?> ProblemAsync<T>(T body, HttpContext http, CancellationToken ct) where T : class
    {
        var options = http.RequestServices.GetRequiredService<IOptions<ValidationOptions>>().Value;
        if (!options.TryGetValidatableTypeInfo(typeof(T), out var info))
            throw new InvalidOperationException($"{typeof(T).Name} is not validatable: mark it [ValidatableType].");
        var context = new ValidateContext
        {
            ValidationOptions = options,
            ValidationContext = new ValidationContext(body, http.RequestServices, items: null),
        };
        await info.ValidateAsync(body, context, ct);
        // The framework keys errors by the C# member name (dotnet/aspnetcore#61764); the API names JSON fields.
        return context.ValidationErrors is { Count: > 0 } errors
            ? Results.ValidationProblem(errors.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value))
            : null;
    }
}
#pragma warning restore ASP0029

/// <summary>A number no greater than the maximum; with <see cref="RangeAttribute"/> for the lower end, each end keeps its own message.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
internal sealed class AtMostAttribute(double maximum) : ValidationAttribute
{
    public override bool IsValid(object? value) => value is null || Convert.ToDouble(value, CultureInfo.InvariantCulture) <= maximum;
}

/// <summary>
/// A count as the import takes it: from 0 to <see cref="FieldRules.MaxCount"/> (or another of its limits). The
/// message names the field by its JSON name.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
internal sealed class CountAttribute(long maximum = FieldRules.MaxCount) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not long count)
            return ValidationResult.Success;
        var field = JsonNamingPolicy.CamelCase.ConvertName(validationContext.MemberName ?? validationContext.DisplayName);
        if (count < 0)
            return new ValidationResult($"'{field}' must be 0 or more.");
        return count > maximum
            ? new ValidationResult(string.Create(CultureInfo.InvariantCulture, $"'{field}' must be at most {maximum:N0}."))
            : ValidationResult.Success;
    }
}

/// <summary>A posting time the import would take: from <see cref="FieldRules.EarliestPost"/> to a day from now.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
internal sealed class PostedAtAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not DateTimeOffset at)
            return ValidationResult.Success;
        var clock = validationContext.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        var latest = clock.GetUtcNow() + FieldRules.FutureTolerance;
        if (at >= FieldRules.EarliestPost && at <= latest)
            return ValidationResult.Success;
        var field = JsonNamingPolicy.CamelCase.ConvertName(validationContext.MemberName ?? validationContext.DisplayName);
        return new ValidationResult(string.Create(CultureInfo.InvariantCulture,
            $"'{field}' must be between {FieldRules.EarliestPost:yyyy-MM-dd} and a day from now ({latest.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}); {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is {(at < FieldRules.EarliestPost ? "before TikTok existed" : "in the future")}."));
    }
}
