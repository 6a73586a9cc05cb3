# syntax=docker/dockerfile:1
# Multi-stage build of the Endpoint Dashboard server.
# The publish command below is the one tests/Dashboard.EndToEnd.Tests/Deployment runs (no Docker engine on CI machines).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig appsettings.json ./
COPY src/ src/
RUN dotnet publish src/Dashboard.Server/Dashboard.Server.csproj -c Release -o /app/publish -p:UseAppHost=false

# Chiseled ASP.NET runtime: no shell, no package manager, runs as the non-root "app" user (UID 1654).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS final
WORKDIR /app
COPY --from=build /app/publish .
USER $APP_UID
# Configuration is by environment variables (double underscore for ':'), e.g.
#   Dashboard__Source=InCluster  Dashboard__Auth__Mode=Oidc  Dashboard__Auth__Oidc__Authority=https://...
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Dashboard__Source=InCluster \
    DOTNET_gcServer=0
EXPOSE 8080
ENTRYPOINT ["dotnet", "Dashboard.Server.dll"]
