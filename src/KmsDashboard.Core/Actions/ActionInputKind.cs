namespace KmsDashboard.Core.Actions;

/// <summary>How the dialog renders an <see cref="ActionInput"/>, and the type of its value.</summary>
public enum ActionInputKind
{
    /// <summary>A line of text (<see cref="string"/>).</summary>
    Text,

    /// <summary>Several lines of text (<see cref="string"/>), e.g. tags as <c>key=value</c> lines.</summary>
    Lines,

    /// <summary>A whole number (<see cref="int"/>) with a range.</summary>
    Number,

    /// <summary>A check box (<see cref="bool"/>).</summary>
    Toggle,

    /// <summary>One of <see cref="ActionInput.Options"/> (<see cref="string"/>).</summary>
    Choice,

    /// <summary>Any of <see cref="ActionInput.Options"/>, one check box each (a list of Region names).</summary>
    Regions,
}
