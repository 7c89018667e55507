namespace KmsDashboard.Web.Features.Wizards;

/// <summary>A bucket checked or unchecked in the new-key-set wizard's bucket picker.</summary>
public readonly record struct BucketToggle(string Bucket, bool Chosen);
