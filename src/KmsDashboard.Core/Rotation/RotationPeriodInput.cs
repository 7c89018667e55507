using System.Globalization;
using KmsDashboard.Core.Actions;

namespace KmsDashboard.Core.Rotation;

/// <summary>The rotation period as the user typed it: Core parses it and refuses bad text, the field never corrects it.</summary>
public static class RotationPeriodInput
{
    /// <summary>The days, or null and a message saying what is wrong.</summary>
    public static int? Parse(string? text, out string? problem)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            problem = $"Give a rotation period: a whole number of days from {KeyInputRules.MinRotationPeriodDays} to {KeyInputRules.MaxRotationPeriodDays}.";
            return null;
        }
        if (!trimmed.All(char.IsAsciiDigit))
        {
            problem = $"'{trimmed}' is not a whole number of days: give {KeyInputRules.MinRotationPeriodDays} to {KeyInputRules.MaxRotationPeriodDays}.";
            return null;
        }
        if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            problem = $"The rotation period must be {KeyInputRules.MinRotationPeriodDays} to {KeyInputRules.MaxRotationPeriodDays} days; {trimmed} was given.";
            return null;
        }
        problem = KeyInputRules.CheckRotationPeriod(days);
        return problem is null ? days : null;
    }
}
