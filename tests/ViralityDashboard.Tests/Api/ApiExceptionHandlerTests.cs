using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ViralityDashboard.Api;

namespace ViralityDashboard.Tests.Api;

/// <summary>The generic fallback: an unexpected exception under /api is a 500 problem that reveals nothing of the exception.</summary>
public sealed class ApiExceptionHandlerTests
{
    private static (ApiExceptionHandler Handler, DefaultHttpContext Context) Arrange(string path)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = path;
        context.Request.Headers.Accept = "text/html";
        context.Response.Body = new MemoryStream();
        return (new ApiExceptionHandler(NullLogger<ApiExceptionHandler>.Instance), context);
    }

    [Fact]
    public async Task AnswersAnUnexpectedExceptionWithA500Problem()
    {
        var (handler, context) = Arrange("/api/predict");

        var handled = await handler.TryHandleAsync(context, new InvalidOperationException("connection string secret"), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Equal(500, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("secret", text);
    }

    [Fact]
    public async Task AnswersABadRequestWithItsOwnStatus()
    {
        var (handler, context) = Arrange("/api/predict");

        await handler.TryHandleAsync(context, new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge), CancellationToken.None);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, context.Response.StatusCode);
    }

    [Fact]
    public async Task LeavesPagesToTheErrorPage()
    {
        var (handler, context) = Arrange("/models");

        Assert.False(await handler.TryHandleAsync(context, new InvalidOperationException(), CancellationToken.None));
    }
}
