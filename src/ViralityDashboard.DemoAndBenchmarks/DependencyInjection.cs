using ViralityDashboard.DemoAndBenchmarks.Demo;

namespace ViralityDashboard.DemoAndBenchmarks;

public static class DependencyInjection
{
    /// <summary>The demo data seeder, for seed-demo and the first start of an empty embedded database. Call after AddDataServices.</summary>
    public static IHostApplicationBuilder AddDemoServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DemoSeeder>();
        return builder;
    }
}
