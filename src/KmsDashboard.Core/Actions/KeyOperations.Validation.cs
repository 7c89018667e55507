namespace KmsDashboard.Core.Actions;

public sealed partial class KeyOperations
{
    /// <summary>Every input check, before any AWS call; also resolves an ARN into its key id and Region.</summary>
    private List<string> Validate(KeyActionRequest request, out string keyId, out string region, out Aws.Accounts.AwsAccount account)
    {
        var problems = new List<string>();
        var regions = _clients.Regions;
        keyId = request.KeyId?.Trim() ?? "";
        region = request.Region?.Trim() ?? "";
        // The account is the request's, or the one the key's ARN names (the two must agree); none with one account.
        var (resolved, wrongAccount) = _accounts.Resolve(request.Account, _accounts.MultiAccount ? KeyInputRules.AccountOf(keyId) : null, "key");
        account = resolved ?? _accounts.Default;
        if (wrongAccount is not null)
        {
            problems.Add(wrongAccount);
            return problems;
        }
        if (_accounts.MultiAccount) regions = account.Regions;

        var action = _catalog.For(request);
        if (action is null)
        {
            problems.Add($"{request.Action.Title} is not an action this dashboard offers.");
            return problems;
        }

        // An id the endpoint itself listed is taken as it is (moto makes mrk- + a dashed UUID); typed ids are checked.
        var known = _inventory.Current.FindById(keyId, _accounts.MultiAccount ? account.Id : null);
        if (known.Count == 0 && KeyInputRules.CheckKeyId(keyId) is { } keyProblem) problems.Add(keyProblem);
        else
        {
            var (arnRegion, id) = KeyInputRules.Parse(keyId);
            if (!_accounts.MultiAccount && KeyInputRules.AccountOf(keyId) is { } arnAccount && KeyInputRules.CheckArnAccount(arnAccount, BackendAccount()) is { } accountProblem)
                problems.Add(accountProblem);
            keyId = id;
            if (arnRegion is not null)
            {
                if (region.Length > 0 && region != arnRegion) problems.Add($"The ARN names Region {arnRegion} but Region {region} was chosen.");
                region = arnRegion;
            }
        }
        if (KeyInputRules.CheckRegion(region, regions) is { } regionProblem) problems.Add(regionProblem);

        if (action.NeedsMultiRegionKey && problems.Count == 0 && !KeyInputRules.IsMultiRegionKeyId(keyId) && !known.Any(k => k.IsMultiRegion))
            problems.Add($"{action.Title} needs a multi-Region key (mrk-…); {keyId} is a single-Region key.");

        action.Validate(request, new ActionValidation(problems, regions));
        return problems;
    }

    private string? _backendAccount;

    /// <summary>The account the backend's keys live in, from the ARNs the inventory read (no call); null until it read one.</summary>
    private string? BackendAccount() => _backendAccount ??=
        _inventory.Current.AllKeys.Select(k => KeyInputRules.AccountOf(k.Arn)).FirstOrDefault(a => a is not null);
}
