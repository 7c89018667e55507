namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// Who signed a request, as a key policy names it: an IAM user's ARN, or for an assumed role both the role's ARN and the
/// session's <c>arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION</c>.
/// </summary>
internal sealed record CallerIdentity(string Arn, string? RoleArn = null)
{
    public bool Matches(string principal) => principal == Arn || (RoleArn is not null && principal == RoleArn);
}
