# KmsDashboard: build and publish with the .NET 10 SDK, run on the ASP.NET Core runtime as a non-root user.
#   docker build -t kmsdashboard .
#   docker run -p 8080:8080 -e Backend__Mode=Sandbox kmsdashboard                       # the embedded sandbox
#   docker run -p 8080:8080 -e Backend__Regions__0=eu-west-1 -e AWS_REGION=eu-west-1 kmsdashboard   # AWS (task/instance role)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# global.json pins this repository's SDK band; the image brings its own 10.0 SDK.
RUN rm -f global.json \
 && dotnet publish src/KmsDashboard.Web/KmsDashboard.Web.csproj -c Release -o /app/publish -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for the HEALTHCHECK below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown app:app /data
WORKDIR /app
COPY --from=build --chown=root:root /app/publish ./
# The image's built-in non-root user (uid 1654); the app writes only to /data.
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Backend__Mode=Aws \
    Storage__DataDirectory=/data
EXPOSE 8080
VOLUME /data
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl --fail --silent http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "KmsDashboard.Web.dll"]
