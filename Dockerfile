# Multi-stage build of the dashboard. The image expects a PostgreSQL server (ConnectionStrings__Virality);
# it does not start an embedded one. See docker-compose.yml.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ViralityDashboard.sln ./
COPY src/ src/
COPY wwwroot/ wwwroot/
RUN dotnet publish src/ViralityDashboard/ViralityDashboard.csproj -c Release -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# LightGBM (ML.NET) needs OpenMP at run time.
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
USER app
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
EXPOSE 8080
ENTRYPOINT ["dotnet", "ViralityDashboard.dll"]
