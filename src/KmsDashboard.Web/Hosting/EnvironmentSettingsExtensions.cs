using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace KmsDashboard.Web.Hosting;

/// <summary>
/// Makes the repository root's <c>appsettings.Development.json</c> (linked into the build output) the file the app
/// reads: <c>dotnet run</c> uses the project folder as content root, where no copy lives.
/// </summary>
public static class EnvironmentSettingsExtensions
{
    public static WebApplicationBuilder AddEnvironmentSettingsFromOutput(this WebApplicationBuilder builder)
    {
        var name = $"appsettings.{builder.Environment.EnvironmentName}.json";
        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, name))) return builder;

        IConfigurationBuilder configuration = builder.Configuration;
        var fromOutput = new JsonConfigurationSource
        {
            Path = name,
            Optional = false,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        };
        // Take the content-root file's place, so environment variables and the command line still override it.
        var index = configuration.Sources.ToList().FindIndex(s => s is JsonConfigurationSource json && json.Path == name);
        if (index >= 0)
            configuration.Sources[index] = fromOutput;
        else
            configuration.Sources.Insert(0, fromOutput);
        return builder;
    }
}
