using System.Text.Json.Serialization;

namespace KmsDashboard.Core.Drills;

/// <summary>
/// One cell of the matrix: ciphertext made in <see cref="Source"/> decrypted in <see cref="Target"/>; on the diagonal
/// (source = target) the GenerateDataKey that made it.
/// </summary>
public sealed record DrillCell(string Source, string Target, DrillCellStatus Status, DrillCall? Call, string Message)
{
    [JsonIgnore]
    public bool IsGenerate => Source == Target;

    /// <summary>Failed or not attempted; skipped cells are neither passed nor failed.</summary>
    [JsonIgnore]
    public bool IsFailure => Status is DrillCellStatus.Failed or DrillCellStatus.NotAttempted;
}
