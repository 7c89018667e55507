namespace KmsDashboard.Core.Actions;

public sealed partial class KeyOperations
{
    /// <summary>Every input check, before any AWS call; also resolves an ARN into its key id and Region.</summary>
    private List<string> Validate(KeyActionRequest request, out string keyId, out string region)
    {
        var problems = new List<string>();
        var regions = _clients.Regions;
        keyId = request.KeyId?.Trim() ?? "";
        region = request.Region?.Trim() ?? "";

        // An id the endpoint itself listed is taken as it is (moto makes mrk- + a dashed UUID); typed ids are checked.
        var known = _inventory.Current.FindById(keyId);
        if (known.Count == 0 && KeyInputRules.CheckKeyId(keyId) is { } keyProblem) problems.Add(keyProblem);
        else
        {
            var (arnRegion, id) = KeyInputRules.Parse(keyId);
            keyId = id;
            if (arnRegion is not null)
            {
                if (region.Length > 0 && region != arnRegion) problems.Add($"The ARN names Region {arnRegion} but Region {region} was chosen.");
                region = arnRegion;
            }
        }
        if (KeyInputRules.CheckRegion(region, regions) is { } regionProblem) problems.Add(regionProblem);

        var multiRegionOnly = request.Action is KeyAction.Replicate or KeyAction.ChangePrimaryRegion or KeyAction.AlignAlias or KeyAction.CopyPrimaryProperties;
        if (multiRegionOnly && problems.Count == 0 && !KeyInputRules.IsMultiRegionKeyId(keyId) && !known.Any(k => k.IsMultiRegion))
            problems.Add($"{KeyActionRules.Title(request.Action)} needs a multi-Region key (mrk-…); {keyId} is a single-Region key.");

        void CheckRegions(IReadOnlyList<string>? list, string what, bool required)
        {
            if (list is null) return;
            if (required && list.Count == 0) problems.Add($"Choose at least one {what}.");
            foreach (var r in list)
                if (KeyInputRules.CheckRegion(r, regions) is { } p) problems.Add(p);
            if (list.Distinct(StringComparer.Ordinal).Count() != list.Count) problems.Add($"A {what} is listed twice.");
        }

        switch (request)
        {
            case ReplicateKeyRequest r:
                CheckRegions(r.TargetRegions ?? [], "target Region", required: true);
                if (KeyInputRules.CheckDescription(r.Description) is { } d) problems.Add(d);
                if (KeyInputRules.CheckTags(r.Tags) is { } t) problems.Add(t);
                break;
            case ChangePrimaryRegionRequest r:
                if (KeyInputRules.CheckRegion(r.NewPrimaryRegion, regions) is { } np) problems.Add($"New primary Region: {np}");
                break;
            case EnableRotationRequest r:
                if (KeyInputRules.CheckRotationPeriod(r.RotationPeriodInDays) is { } period) problems.Add(period);
                break;
            case ScheduleDeletionRequest r:
                if (KeyInputRules.CheckPendingWindow(r.PendingWindowInDays) is { } window) problems.Add(window);
                CheckRegions(r.AlsoScheduleReplicasIn ?? [], "replica Region", required: false);
                break;
            case CreateAliasRequest r:
                if (KeyInputRules.CheckAliasName(r.AliasName) is { } a1) problems.Add(a1);
                break;
            case UpdateAliasRequest r:
                if (KeyInputRules.CheckAliasName(r.AliasName) is { } a2) problems.Add(a2);
                break;
            case DeleteAliasRequest r:
                if (KeyInputRules.CheckAliasName(r.AliasName) is { } a3) problems.Add(a3);
                break;
            case AlignAliasRequest r:
                if (KeyInputRules.CheckAliasName(r.AliasName) is { } a4) problems.Add(a4);
                CheckRegions(r.Regions, "Region", required: true);
                break;
            case EditTagsRequest r:
                if (r.Tags is null) problems.Add("Give the tags the key should have.");
                else if (KeyInputRules.CheckTags(r.Tags) is { } t2) problems.Add(t2);
                break;
            case EditDescriptionRequest r:
                if (r.Description is null) problems.Add("Give the description.");
                else if (KeyInputRules.CheckDescription(r.Description) is { } d2) problems.Add(d2);
                break;
            case CopyPrimaryPropertiesRequest r:
                if (!r.CopyTags && !r.CopyDescription) problems.Add("Choose tags, description or both to copy.");
                CheckRegions(r.Regions, "replica Region", required: true);
                break;
        }
        return problems;
    }
}
