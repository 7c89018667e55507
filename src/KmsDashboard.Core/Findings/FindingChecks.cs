namespace KmsDashboard.Core.Findings;

/// <summary>Every check the findings engine evaluates, by id; the groups follow the numbered checks of the Findings page.</summary>
public static class FindingChecks
{
    public static readonly FindingCheck KeyIdInCalls = new("KD01-KEY-ID-CALLS", "1", "Callers name the key by id or ARN", FindingSeverity.Medium,
        "Code that names a key by id or ARN breaks when the key is replaced or rotated manually, and cannot follow a key set to another Region; an alias can be moved.",
        "Change the callers to use the key set's alias (alias/name), which exists in every Region of the set.");
    public static readonly FindingCheck AliasMissing = new("KD01-ALIAS-MISSING", "1", "No alias in a Region of the key set", FindingSeverity.Low,
        "AWS does not copy aliases to replicas: an application failing over to this Region cannot find the key by its alias.",
        "Create the alias in that Region (Align an alias across the key set).");
    public static readonly FindingCheck PublicPolicy = new("KD02-PUBLIC", "2", "Key policy allows anyone (Principal *) without conditions", FindingSeverity.Critical,
        "A statement allowing Principal \"*\" with no condition lets any AWS account use the key.",
        "Remove the statement or add conditions (aws:PrincipalOrgID, kms:CallerAccount, kms:ViaService).");
    public static readonly FindingCheck KmsStar = new("KD02-KMS-STAR", "2", "kms:* granted to a principal other than the account root", FindingSeverity.High,
        "kms:* lets the principal change the policy, disable or schedule the key for deletion: far more than using it.",
        "Grant only the actions the principal needs (kms:Decrypt, kms:GenerateDataKey…); keep kms:* for the account root.");
    public static readonly FindingCheck NoConditions = new("KD02-NO-CONDITIONS", "2", "Broad cryptographic access without kms:ViaService or encryption context", FindingSeverity.Medium,
        "A statement allowing cryptographic use with a wildcard action or principal and no kms:ViaService or kms:EncryptionContext condition lets its holder use the key from anywhere, for anything.",
        "Add a kms:ViaService condition (the service that should use the key) or a kms:EncryptionContext condition.");
    public static readonly FindingCheck UnconstrainedGrant = new("KD02-GRANT-UNCONSTRAINED", "2", "Grant with no constraints", FindingSeverity.Low,
        "A grant without an encryption context constraint lets its grantee use the key for any data.",
        "Retire the grant and create it again with an encryption context constraint.");
    public static readonly FindingCheck RotationOff = new("KD03-ROTATION-OFF", "3", "Automatic rotation is off", FindingSeverity.Medium,
        "Without rotation the same key material protects data for ever; many standards require yearly rotation.",
        "Turn on automatic rotation (on the primary for a key set).");
    public static readonly FindingCheck RotationPeriod = new("KD03-ROTATION-PERIOD", "3", "Rotation period longer than allowed", FindingSeverity.Low,
        "Key material is used for longer than the configured maximum.",
        "Change the rotation period to the configured maximum or less.");
    public static readonly FindingCheck IncidentRotation = new("KD03-INCIDENT-ROTATION", "3", "Not rotated on demand since the incident", FindingSeverity.High,
        "The key is tagged with an incident, but its material was not rotated on demand after it: possibly exposed material still encrypts new data.",
        "Rotate the key now (on-demand rotation wizard).");
    public static readonly FindingCheck CrossAccount = new("KD04-CROSS-ACCOUNT", "4", "Another account may use the key", FindingSeverity.High,
        "The key policy lets principals of another AWS account use the key; accounts outside the allow-list should not.",
        "Remove the account from the policy, or add it to Findings:AllowedAccounts when it is expected.");
    public static readonly FindingCheck CrossAccountAllowed = new("KD04-CROSS-ACCOUNT-ALLOWED", "4", "Another (allowed) account may use the key", FindingSeverity.Info,
        "Cross-account access to an allow-listed account, listed for the record.",
        "Nothing, while the account is expected.");
    public static readonly FindingCheck NoTrail = new("KD05-NO-TRAIL", "5", "No CloudTrail trail logs management events in a Region with keys", FindingSeverity.High,
        "Without a trail, key use and changes in the Region are kept only 90 days in the event history and are not delivered anywhere.",
        "Create a multi-Region trail logging management events (or one in this Region).");
    public static readonly FindingCheck Idle = new("KD05-IDLE", "5", "Key not used in 90 days", FindingSeverity.Low,
        "An unused key costs $1 a month in each Region and is one more thing to protect.",
        "Confirm nothing needs it, then disable it and schedule its deletion (retire runbook).");
    public static readonly FindingCheck MissingTags = new("KD06-MISSING-TAGS", "6", "Cost-allocation tags missing", FindingSeverity.Low,
        "Keys without the configured cost-allocation tags cannot be charged back or owned.",
        "Add the missing tags (Edit tags).");
    public static readonly FindingCheck TagDrift = new("KD06-TAG-DRIFT", "6", "Tags differ across the key set", FindingSeverity.Low,
        "AWS does not synchronise tags: cost reports and tag-based policies treat the Regions differently.",
        "Copy the primary's tags to its replicas.");
    public static readonly FindingCheck NoDescription = new("KD07-NO-DESCRIPTION", "7", "Empty description", FindingSeverity.Low,
        "Nobody can tell what the key protects without asking around.",
        "Write a description (Edit description).");
    public static readonly FindingCheck NoOwner = new("KD07-NO-OWNER", "7", "No owner tag", FindingSeverity.Low,
        "Nobody is known to answer for the key when it misbehaves or must be retired.",
        "Add the owner tag (Edit tags).");
    public static readonly FindingCheck DrillOverdue = new("KD08-DRILL-OVERDUE", "8", "Failover not tested recently", FindingSeverity.Medium,
        "A key set whose Regions were never shown to serve on their own may fail exactly when a Region does.",
        "Run a failover drill on the key set.");
    public static readonly FindingCheck Envelope = new("KD09-ENVELOPE", "9", "Encrypt/Decrypt at high volume instead of envelope encryption", FindingSeverity.Low,
        "Calling KMS for every item costs a request each and is bound by the Region's request quota; data keys (GenerateDataKey) reused for many items cost a fraction.",
        "Encrypt data locally with data keys from GenerateDataKey (e.g. the AWS Encryption SDK with a data key cache).");
    public static readonly FindingCheck PendingDeletionInUse = new("KD10-PENDING-DELETION-IN-USE", "10", "Key pending deletion is still used", FindingSeverity.Critical,
        "When the waiting period ends the key and everything encrypted under it are gone for good; something still uses it.",
        "Cancel the deletion now, move the users to another key, then schedule it again.");
    public static readonly FindingCheck ShortWindow = new("KD10-SHORT-WINDOW", "10", "Deletion waiting period shorter than the minimum", FindingSeverity.Medium,
        "A short waiting period leaves little time to notice a mistaken deletion.",
        "Cancel the deletion and schedule it again with a longer waiting period.");
    public static readonly FindingCheck StuckReplicaDeletion = new("KD10-STUCK-PENDING-REPLICA-DELETION", "10", "Primary stuck in PendingReplicaDeletion", FindingSeverity.Medium,
        "The primary's waiting period starts only when its last replica is deleted: it waits for ever while a replica remains.",
        "Schedule the replicas' deletion too, or cancel the primary's deletion.");
    public static readonly FindingCheck MixedEnvironments = new("KD11-MIXED-ENVIRONMENTS", "11", "One key for more than one environment", FindingSeverity.Medium,
        "A key shared between environments lets a test workload decrypt production data and ties their lifecycles together.",
        "Give each environment its own key set.");
    public static readonly FindingCheck NoVpcEndpoint = new("KD12-NO-VPC-ENDPOINT", "12", "Calls reach KMS without a VPC endpoint", FindingSeverity.Low,
        "Calls from workloads over the public endpoint leave the VPC; a KMS interface endpoint keeps them private and allows aws:SourceVpce conditions.",
        "Create a KMS interface VPC endpoint in the Region and route the callers through it.");
    public static readonly FindingCheck ReplicaDrift = new("KD13-REPLICA-DRIFT", "MR", "Replica drifted from its primary", FindingSeverity.Medium,
        "AWS does not synchronise policy, description, aliases or enabled state: a failover lands on a key that behaves differently.",
        "Copy the primary's properties to the replica, or enable it.");
    public static readonly FindingCheck AbsentWhereBucketsLive = new("KD14-ABSENT-WHERE-BUCKETS", "MR", "Key set absent from a Region its buckets use", FindingSeverity.High,
        "A bucket in (or replicating to) a Region where the key set has no key cannot encrypt with the same key there; a failover of that data breaks.",
        "Replicate the key set to that Region.");
    public static readonly FindingCheck ReplicaRegionDown = new("KD15-REGION-DOWN", "MR", "A Region of the key set is down", FindingSeverity.High,
        "The key in that Region cannot serve; callers there must fail over to another Region of the set.",
        "Send traffic to another Region of the key set until the Region recovers.");

    public static readonly IReadOnlyList<FindingCheck> All =
    [
        KeyIdInCalls, AliasMissing, PublicPolicy, KmsStar, NoConditions, UnconstrainedGrant, RotationOff, RotationPeriod, IncidentRotation,
        CrossAccount, CrossAccountAllowed, NoTrail, Idle, MissingTags, TagDrift, NoDescription, NoOwner, DrillOverdue, Envelope,
        PendingDeletionInUse, ShortWindow, StuckReplicaDeletion, MixedEnvironments, NoVpcEndpoint, ReplicaDrift, AbsentWhereBucketsLive, ReplicaRegionDown,
    ];

    public static readonly IReadOnlyDictionary<string, string> GroupTitles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["1"] = "1 Aliases, not key ids",
        ["2"] = "2 Least privilege",
        ["3"] = "3 Rotation",
        ["4"] = "4 Cross-account access",
        ["5"] = "5 Monitoring",
        ["6"] = "6 Tagging",
        ["7"] = "7 Documentation",
        ["8"] = "8 Failover tested",
        ["9"] = "9 Envelope encryption",
        ["10"] = "10 Deletion protection",
        ["11"] = "11 Environments",
        ["12"] = "12 VPC endpoints",
        ["MR"] = "Multi-Region",
    };

    private static readonly Dictionary<string, FindingCheck> ById = All.ToDictionary(c => c.Id, StringComparer.Ordinal);

    public static FindingCheck? Find(string id) => ById.GetValueOrDefault(id);
}
