using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ViralityDashboard.Api;

namespace ViralityDashboard.Tests.Api;

public sealed class DatabaseUnavailableHandlerTests
{
    [Fact]
    public void TreatsARefusedOrBrokenConnectionAndAServerThatCannotServeAsUnavailable()
    {
        Assert.True(DatabaseUnavailableHandler.IsDatabaseUnavailable(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(DatabaseUnavailableHandler.IsDatabaseUnavailable(new DbUpdateException("save", new NpgsqlException("Exception while reading from stream", new EndOfStreamException()))));
        Assert.True(DatabaseUnavailableHandler.IsDatabaseUnavailable(Server(PostgresErrorCodes.CannotConnectNow)));
        Assert.True(DatabaseUnavailableHandler.IsDatabaseUnavailable(Server(PostgresErrorCodes.AdminShutdown)));
    }

    [Fact]
    public void LeavesQueryErrorsAndOtherExceptionsToTheNextHandler()
    {
        Assert.False(DatabaseUnavailableHandler.IsDatabaseUnavailable(new DbUpdateException("save", Server(PostgresErrorCodes.UniqueViolation))));
        Assert.False(DatabaseUnavailableHandler.IsDatabaseUnavailable(new InvalidOperationException("bug")));
    }

    [Fact]
    public async Task AnswersAnApiCall503ProblemDetailsWithRetryAfterButNotAPage()
    {
        var handler = new DatabaseUnavailableHandler(NullLogger<DatabaseUnavailableHandler>.Instance);
        var down = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));

        var api = Context("/api/models");
        var page = Context("/training");

        Assert.True(await handler.TryHandleAsync(api, down, CancellationToken.None));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, api.Response.StatusCode);
        Assert.Equal("application/problem+json", api.Response.ContentType);
        Assert.Equal("5", api.Response.Headers.RetryAfter.ToString());
        Assert.False(await handler.TryHandleAsync(page, down, CancellationToken.None));
    }

    private static PostgresException Server(string sqlState) => new("message", "FATAL", "FATAL", sqlState);

    private static DefaultHttpContext Context(string path)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        return new DefaultHttpContext { RequestServices = services, Request = { Path = path }, Response = { Body = new MemoryStream() } };
    }
}
