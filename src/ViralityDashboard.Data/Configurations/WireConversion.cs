using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Data.Configurations;

/// <summary>Enums are stored as their wire names (<see cref="WireNames"/>), the strings these columns have always held.</summary>
internal static class WireConversion
{
    public static PropertyBuilder<T> HasWireConversion<T>(this PropertyBuilder<T> property) where T : struct, Enum =>
        property.HasConversion(new WireConverter<T>());

    public static PropertyBuilder<T?> HasWireConversion<T>(this PropertyBuilder<T?> property) where T : struct, Enum =>
        property.HasConversion(new WireConverter<T>());

    private sealed class WireConverter<T>() : ValueConverter<T, string>(v => v.Wire(), s => WireNames.Parse<T>(s)) where T : struct, Enum;
}
