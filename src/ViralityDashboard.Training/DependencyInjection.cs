using Microsoft.Extensions.Hosting;

namespace ViralityDashboard.Training;

public static class DependencyInjection
{
    /// <summary>Training orchestration, the model registry and the Quartz jobs (engagement-model issue).</summary>
    public static IHostApplicationBuilder AddTrainingServices(this IHostApplicationBuilder builder) => builder;
}
