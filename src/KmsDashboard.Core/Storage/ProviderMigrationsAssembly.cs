using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace KmsDashboard.Core.Storage;

/// <summary>
/// The migrations of one store for the active provider only. Each provider has its own migration set, in a namespace
/// with the segment <c>Migrations.Sqlite</c> or <c>Migrations.Postgres</c> (see <c>Storage/Migrations</c>); both live in
/// the context's assembly and are told apart here, so one model serves both providers.
/// </summary>
public sealed class ProviderMigrationsAssembly(ICurrentDbContext current, IMigrationsIdGenerator ids) : IMigrationsAssembly
{
    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private ModelSnapshot? _snapshot;
    private bool _snapshotRead;

    public Assembly Assembly => current.Context.GetType().Assembly;

    /// <summary>The namespace segment of the active provider's migrations: <c>.Migrations.Sqlite</c> or <c>.Migrations.Postgres</c>.</summary>
    public string Segment => SegmentFor(current.Context.Database.ProviderName);

    public static string SegmentFor(string? providerName) => providerName switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => ".Migrations.Sqlite",
        "Npgsql.EntityFrameworkCore.PostgreSQL" => ".Migrations.Postgres",
        _ => throw new NotSupportedException($"The dashboard's stores have no migrations for the provider {providerName}."),
    };

    private bool Ours(Type type)
    {
        var ns = type.Namespace ?? "";
        var segment = Segment;
        return (ns.EndsWith(segment, StringComparison.Ordinal) || ns.Contains(segment + ".", StringComparison.Ordinal))
               && type.GetCustomAttribute<DbContextAttribute>()?.ContextType == current.Context.GetType();
    }

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations ??= Assembly.DefinedTypes
        .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(Migration)) && Ours(t) && t.GetCustomAttribute<MigrationAttribute>() is not null)
        .Select(t => (Id: t.GetCustomAttribute<MigrationAttribute>()!.Id, Type: t))
        .OrderBy(m => m.Id, StringComparer.Ordinal)
        .ToDictionary(m => m.Id, m => m.Type, StringComparer.Ordinal);

    public ModelSnapshot? ModelSnapshot
    {
        get
        {
            if (_snapshotRead) return _snapshot;
            var type = Assembly.DefinedTypes.FirstOrDefault(t => !t.IsAbstract && t.IsSubclassOf(typeof(ModelSnapshot)) && Ours(t));
            _snapshot = type is null ? null : (ModelSnapshot)Activator.CreateInstance(type)!;
            _snapshotRead = true;
            return _snapshot;
        }
    }

    public string? FindMigrationId(string nameOrId) => Migrations.Keys.FirstOrDefault(ids.IsValidId(nameOrId)
        ? id => string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
        : id => string.Equals(ids.GetName(id), nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        ArgumentNullException.ThrowIfNull(migrationClass);
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }
}
