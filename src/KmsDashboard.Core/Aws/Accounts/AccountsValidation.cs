namespace KmsDashboard.Core.Aws.Accounts;

/// <summary>Start-up checks of <c>Backend:Accounts</c> and <c>Backend:Organization</c>, each problem in one sentence naming the setting.</summary>
internal static class AccountsValidation
{
    public static IEnumerable<string> Validate(BackendOptions options)
    {
        const string accounts = BackendOptions.Section + ":Accounts";
        const string organization = BackendOptions.Section + ":Organization";
        if (options.Accounts.Length > 0 && options.Organization is not null)
            yield return $"Set either {accounts} or {organization}, not both.";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Accounts.Length; i++)
        {
            var a = options.Accounts[i];
            var at = $"{accounts}:{i}";
            if (a is null)
            {
                yield return $"{at} is empty.";
                continue;
            }
            if (!AccountRules.IsAccountId(a.Id))
                yield return $"{at}:Id '{a.Id}' is not an AWS account id (12 digits).";
            else if (!seen.Add(a.Id))
                yield return $"{accounts} lists account {a.Id} twice.";
            var hasArn = !string.IsNullOrWhiteSpace(a.RoleArn);
            var hasName = !string.IsNullOrWhiteSpace(a.RoleName);
            if (hasArn == hasName)
                yield return $"{at} (account {a.Id}) needs exactly one of RoleArn or RoleName.";
            if (hasArn)
            {
                var arnAccount = AccountRules.AccountOfRoleArn(a.RoleArn);
                if (arnAccount is null)
                    yield return $"{at}:RoleArn '{a.RoleArn}' is not an IAM role ARN such as arn:aws:iam::111122223333:role/KmsDashboard.";
                else if (AccountRules.IsAccountId(a.Id) && arnAccount != a.Id)
                    yield return $"{at}:RoleArn names account {arnAccount}, not the account's Id {a.Id}.";
            }
            if (hasName && !AccountRules.IsRoleName(a.RoleName))
                yield return $"{at}:RoleName '{a.RoleName}' is not an IAM role name (1-64 of letters, digits and +=,.@_-).";
            if (a.ExternalId is { Length: > 0 } externalId && !AccountRules.IsExternalId(externalId))
                yield return $"{at}:ExternalId is not a valid external id (2-1224 of letters, digits and +=,.@:/_-).";
            foreach (var problem in RegionProblems(a.Regions, $"{at}:Regions"))
                yield return problem;
        }
        if (options.Organization is { } org)
        {
            if (string.IsNullOrWhiteSpace(org.RoleName))
                yield return $"{organization}:RoleName is required: the role the dashboard assumes in every account of the organization.";
            else if (!AccountRules.IsRoleName(org.RoleName))
                yield return $"{organization}:RoleName '{org.RoleName}' is not an IAM role name (1-64 of letters, digits and +=,.@_-).";
            if (org.ExternalId is { Length: > 0 } externalId && !AccountRules.IsExternalId(externalId))
                yield return $"{organization}:ExternalId is not a valid external id (2-1224 of letters, digits and +=,.@:/_-).";
            foreach (var problem in RegionProblems(org.Regions, $"{organization}:Regions"))
                yield return problem;
        }
    }

    private static IEnumerable<string> RegionProblems(string[]? regions, string at)
    {
        regions ??= [];
        foreach (var region in regions)
            if (!BackendOptions.IsRegionName(region))
                yield return $"{at} holds '{region}', which is not an AWS Region name such as us-east-1.";
        if (regions.Distinct(StringComparer.Ordinal).Count() != regions.Length)
            yield return $"{at} lists a Region twice.";
    }
}
