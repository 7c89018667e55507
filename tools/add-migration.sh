#!/usr/bin/env bash
# Adds a migration to one store for both providers (SQLite and PostgreSQL), each in its own set:
#   src/KmsDashboard.Core/Storage/Migrations/{Sqlite,Postgres}/<Folder>/
# Usage: tools/add-migration.sh <Context> <Folder> <MigrationName>
#   e.g. tools/add-migration.sh JournalDbContext Journal AddOwner
# Needs dotnet-ef 10.0.15 (dotnet tool install --global dotnet-ef --version 10.0.15). Review both generated
# migrations; ProviderMigrationsAssembly picks the active provider's set at run time.
set -euo pipefail
if [ $# -ne 3 ]; then echo "usage: $0 <Context> <Folder> <MigrationName>" >&2; exit 2; fi
ctx=$1; folder=$2; name=$3
root=$(cd "$(dirname "$0")/.." && pwd); core="$root/src/KmsDashboard.Core"
export PATH="$PATH:$HOME/.dotnet/tools"
build=""
for provider in Sqlite Postgres; do
  dir="Storage/Migrations/$provider/$folder"
  dotnet ef migrations add "$name" $build --project "$core" --context "$ctx" --output-dir "$dir" \
    --namespace "KmsDashboard.Core.Storage.Migrations.$provider.$folder" -- "$provider"
  build="--no-build"
  # A store's first migration writes <Context>ModelSnapshot; name it after the provider, beside its migrations, so
  # the other provider's snapshot (same context, same default name) never overwrites it.
  while IFS= read -r snapshot; do
    sed -i "s/\bclass ${ctx}ModelSnapshot\b/class ${ctx}${provider}ModelSnapshot/" "$snapshot"
    mv "$snapshot" "$core/$dir/${ctx}${provider}ModelSnapshot.cs"
  done < <(find "$core" -name "${ctx}ModelSnapshot.cs" -not -path "*/obj/*" -not -path "*/bin/*")
  find "$core" -type d -empty -not -path "*/obj/*" -not -path "*/bin/*" -delete
done
