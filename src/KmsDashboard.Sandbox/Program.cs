using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox;

/// <summary>Standalone sandbox: <c>dotnet run --project src/KmsDashboard.Sandbox -- --urls http://127.0.0.1:4566</c>.</summary>
internal static class SandboxProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = builder.Configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
        builder.Services.AddSandbox(options);
        var app = builder.Build();
        app.MapSandbox();
        app.Run();
    }
}
