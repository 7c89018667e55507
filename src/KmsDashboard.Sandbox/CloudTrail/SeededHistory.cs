using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>
/// Ninety days of plausible CloudTrail history for the demo account, before the sandbox started: applications
/// decrypting, people and the dashboard reading, keys created and replicated, an access-denied burst and a
/// deletion scheduled then cancelled. Steady traffic is generated per hour on demand (nothing stored);
/// the few one-off events are kept.
/// </summary>
internal sealed class SeededHistory(SandboxOptions options, SandboxClock clock, TrailKeySource keys)
{
    private const string JavaAgent = "aws-sdk-java/2.25.11 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. md/internal io/sync http/Apache cfg/retry-mode/legacy";
    private const string LambdaAgent = "Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#5.10.209-219.836.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.51";
    private const string DotnetAgent = "aws-sdk-dotnet-coreclr/4.1.0.0 ua/2.0 os/linux md/arch#x64 lang/.NET_Core#10.0.0 api/KeyManagementService#4.1.0.0";
    private const string CliAgent = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1018-aws exe/x86_64.ubuntu.22 prompt/off command/kms.describe-key";
    private const string GoAgent = "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/kms#1.29.2";
    private const string ConsoleAgent = "AWS Internal";

    private readonly Lock _gate = new();
    private Plan? _plan;

    /// <summary>When the seeded history ends and recorded events take over; null before planning or when not seeding.</summary>
    public DateTimeOffset? SeedInstant => _plan?.SeedInstant;

    /// <summary>Fixes the history to the keys that exist now; later keys are the recorder's business.</summary>
    public void EnsurePlanned()
    {
        if (_plan is not null) return;
        lock (_gate) _plan ??= Build();
    }

    public void Reset()
    {
        lock (_gate) _plan = null;
    }

    /// <summary>Seeded events of one Region and hour (hours since the Unix epoch) that can match the query.</summary>
    public void AddEvents(string region, long hour, LookupQuery query, List<TrailEvent> into)
    {
        EnsurePlanned();
        var plan = _plan!;
        if (!plan.Regions.TryGetValue(region, out var regional)) return;
        var hourStart = DateTimeOffset.UnixEpoch.AddHours(hour);
        if (hourStart >= plan.SeedInstant || hourStart.AddHours(1) <= plan.WindowStart) return;
        foreach (var stream in regional.Streams)
        {
            if (stream.CouldMatch(query)) stream.AddEvents(hour, plan.WindowStart, plan.SeedInstant, into);
        }
        if (regional.OneOff.TryGetValue(hour, out var oneOff)) into.AddRange(oneOff);
    }

    private Plan Build()
    {
        var seedInstant = TrailEvent.ToWholeSeconds(clock.UtcNow);
        var plan = new Plan(seedInstant, seedInstant - CloudTrailLimits.Retention);
        if (!options.SeedDemoAccount) return plan;
        var all = keys.Read().OrderBy(k => k.Region, StringComparer.Ordinal).ThenBy(k => k.Arn, StringComparer.Ordinal).ToList();
        var existing = all.Where(k => k.CreationDate < seedInstant).ToList();
        if (existing.Count == 0) return plan;

        var (scheduled, cancelled) = PlanDeletionScare(existing, plan);
        foreach (var key in existing)
        {
            var regional = plan.For(key.Region);
            var until = DateTimeOffset.MaxValue;
            if (key.KeyState is not ("Enabled" or "Creating" or "Updating"))
            {
                until = StopTime(key, plan);
                var name = key.KeyState == "Disabled" ? "DisableKey" : "ScheduleKeyDeletion";
                plan.AddOneOff(OneOff(key, name, until, TrailPrincipals.KeyAdmin, DemoAccessKeys.KeyAdmin, ConsoleAgent, "198.51.100.24",
                    name == "DisableKey" ? KeyIdParameters(key) : new JsonObject { ["keyId"] = key.KeyId, ["pendingWindowInDays"] = 30 }));
            }
            AddCreation(key, all, plan);
            var failing = scheduled.Key == key
                ? (scheduled.Time, cancelled, "KMSInvalidStateException", $"{key.Arn} is pending deletion.")
                : ((DateTimeOffset, DateTimeOffset, string, string)?)null;
            if (key.AwsManaged) AddAwsManagedStreams(key, regional, until);
            else AddApplicationStreams(key, regional, until, failing);
        }
        foreach (var region in plan.Regions.Keys.ToList()) AddRegionStreams(region, plan.For(region));
        AddAccessDeniedBurst(existing, plan);
        return plan;
    }

    private static DateTimeOffset StopTime(TrailKey key, Plan plan)
    {
        var days = 2 + (int)(SeedRandom.Hash(key.Arn) % 12);
        var stop = plan.SeedInstant.AddDays(-days).AddMinutes(-(int)(SeedRandom.Hash(key.Arn, 7) % 600));
        return stop > key.CreationDate ? stop : key.CreationDate.AddMinutes(30);
    }

    private void AddCreation(TrailKey key, List<TrailKey> all, Plan plan)
    {
        if (key.CreationDate < plan.WindowStart || key.AwsManaged) return;
        var created = TrailEvent.ToWholeSeconds(key.CreationDate);
        if (key.MultiRegionKeyType == "REPLICA" && all.FirstOrDefault(k => k.KeyId == key.KeyId && k.MultiRegionKeyType == "PRIMARY") is { } primary)
        {
            plan.AddOneOff(OneOff(primary, "ReplicateKey", created, TrailPrincipals.KeyAdmin, DemoAccessKeys.KeyAdmin, ConsoleAgent, "198.51.100.24",
                new JsonObject { ["keyId"] = key.KeyId, ["replicaRegion"] = key.Region }));
            plan.AddOneOff(ServiceEvent(key, "CreateKey", created));
            plan.AddOneOff(ServiceEvent(key, "SynchronizeMultiRegionKey", created.AddSeconds(2)));
        }
        else
        {
            plan.AddOneOff(OneOff(key, "CreateKey", created, TrailPrincipals.KeyAdmin, DemoAccessKeys.KeyAdmin, ConsoleAgent, "198.51.100.24",
                new JsonObject
                {
                    ["keySpec"] = "SYMMETRIC_DEFAULT",
                    ["keyUsage"] = "ENCRYPT_DECRYPT",
                    ["origin"] = "AWS_KMS",
                    ["multiRegion"] = key.MultiRegionKeyType is not null,
                    ["bypassPolicyLockoutSafetyCheck"] = false,
                }));
        }
        var offset = 3;
        foreach (var alias in key.Aliases)
        {
            plan.AddOneOff(OneOff(key, "CreateAlias", created.AddMinutes(offset++), TrailPrincipals.KeyAdmin, DemoAccessKeys.KeyAdmin, ConsoleAgent, "198.51.100.24",
                new JsonObject { ["aliasName"] = alias, ["targetKeyId"] = key.KeyId }));
        }
    }

    /// <summary>carol schedules a key for deletion by mistake; alice cancels it the next morning and enables it again.</summary>
    private static ((TrailKey? Key, DateTimeOffset Time) Scheduled, DateTimeOffset Cancelled) PlanDeletionScare(List<TrailKey> keys, Plan plan)
    {
        var key = keys.FirstOrDefault(k => !k.AwsManaged && k.KeyState == "Enabled" && k.CreationDate < plan.SeedInstant.AddDays(-45))
                  ?? keys.FirstOrDefault(k => !k.AwsManaged && k.KeyState == "Enabled" && k.CreationDate < plan.SeedInstant.AddDays(-3));
        if (key is null) return ((null, default), default);
        var scheduled = plan.SeedInstant.UtcDateTime.Date.AddDays(-41).AddHours(15).AddMinutes(12);
        var at = new DateTimeOffset(scheduled, TimeSpan.Zero);
        if (at < key.CreationDate.AddHours(1) || at < plan.WindowStart) at = key.CreationDate + (plan.SeedInstant - key.CreationDate) / 2;
        var cancelled = at.AddHours(17).AddMinutes(53);
        if (cancelled.AddMinutes(2) >= plan.SeedInstant) return ((null, default), default);
        plan.AddOneOff(OneOff(key, "ScheduleKeyDeletion", at, TrailPrincipals.Carol, DemoAccessKeys.Carol, ConsoleAgent, "192.0.2.77",
            new JsonObject { ["keyId"] = key.KeyId, ["pendingWindowInDays"] = 7 },
            new JsonObject { ["keyId"] = key.Arn, ["deletionDate"] = TrailClockFormat.Iso(at.AddDays(7)), ["keyState"] = "PendingDeletion", ["pendingWindowInDays"] = 7 }));
        plan.AddOneOff(OneOff(key, "CancelKeyDeletion", cancelled, TrailPrincipals.Alice, DemoAccessKeys.Alice, ConsoleAgent, "198.51.100.24",
            KeyIdParameters(key), new JsonObject { ["keyId"] = key.Arn }));
        plan.AddOneOff(OneOff(key, "EnableKey", cancelled.AddMinutes(1), TrailPrincipals.Alice, DemoAccessKeys.Alice, ConsoleAgent, "198.51.100.24",
            KeyIdParameters(key)));
        return ((key, at), cancelled.AddMinutes(1));
    }

    /// <summary>A reporting job with a bad policy retries Decrypt for twenty minutes one night and is refused every time.</summary>
    private static void AddAccessDeniedBurst(List<TrailKey> keys, Plan plan)
    {
        var customer = keys.Where(k => !k.AwsManaged && k.KeyState == "Enabled").ToList();
        if (customer.Count == 0) return;
        var key = customer[customer.Count > 1 ? 1 : 0];
        var start = new DateTimeOffset(plan.SeedInstant.UtcDateTime.Date.AddDays(-17).AddHours(2).AddMinutes(10), TimeSpan.Zero);
        if (start < key.CreationDate || start < plan.WindowStart) start = plan.SeedInstant.AddHours(-30);
        if (start < key.CreationDate) return;
        var random = new SeedRandom(SeedRandom.Hash(key.Arn, 0xDE41ED));
        var message = $"User: arn:aws:sts::{{0}}:assumed-role/ReportingRole/nightly-etl is not authorized to perform: kms:Decrypt on resource: {key.Arn} because no identity-based policy allows the kms:Decrypt action";
        for (var i = 0; i < 150; i++)
        {
            var time = start.AddSeconds(i * 8 + random.Next(5));
            plan.AddOneOff(new TrailEvent
            {
                Time = time,
                Region = key.Region,
                EventSource = "kms.amazonaws.com",
                EventName = "Decrypt",
                EventId = random.NextGuid(),
                RequestId = random.NextGuid(),
                Principal = TrailPrincipals.Reporting,
                AccessKeyId = DemoAccessKeys.Reporting,
                SourceIp = "10.0.9.14",
                UserAgent = GoAgent,
                ReadOnly = true,
                ErrorCode = "AccessDenied",
                ErrorMessage = message.Replace("{0}", AccountFromArn(key.Arn), StringComparison.Ordinal),
                Resources = [key.Arn],
                RequestParameters = new JsonObject { ["encryptionAlgorithm"] = "SYMMETRIC_DEFAULT", ["encryptionContext"] = new JsonObject { ["report"] = "daily-revenue" } },
            });
        }
    }

    private static void AddApplicationStreams(TrailKey key, Regional regional, DateTimeOffset until,
        (DateTimeOffset, DateTimeOffset, string, string)? failing)
    {
        var h = SeedRandom.Hash(key.Arn);
        var keyRef = key.Aliases.Count > 0 ? key.Aliases[0] : key.Arn;
        // The order service runs in a VPC and reaches KMS through an interface endpoint; the payments Lambda does not.
        var vpce = $"vpce-0{SeedRandom.Hash(key.Region) % 0xFFFFFFFFFFFFF:x13}";
        string[] instances = TrailPrincipals.OrderServiceInstances;
        if (h % 3 != 2)
        {
            regional.Streams.Add(Stream(key, "Decrypt", true, p => TrailPrincipals.OrderService((int)(p % 3)), instances, DemoAccessKeys.OrderService, 4,
                p => $"10.0.{1 + p % 3}.{20 + p % 3}", JavaAgent, until, h ^ 1,
                p => new JsonObject { ["encryptionAlgorithm"] = "SYMMETRIC_DEFAULT", ["encryptionContext"] = new JsonObject { ["app"] = "orders", ["tenant"] = $"t-{p % 50:0000}" } },
                failing, vpcEndpointId: vpce));
            regional.Streams.Add(Stream(key, "Encrypt", false, p => TrailPrincipals.OrderService((int)(p % 3)), instances, DemoAccessKeys.OrderService, 1,
                p => $"10.0.{1 + p % 3}.{20 + p % 3}", JavaAgent, until, h ^ 2,
                p => new JsonObject { ["keyId"] = keyRef, ["encryptionAlgorithm"] = "SYMMETRIC_DEFAULT", ["encryptionContext"] = new JsonObject { ["app"] = "orders", ["tenant"] = $"t-{p % 50:0000}" } },
                failing, vpcEndpointId: vpce));
        }
        if (h % 2 == 0)
        {
            regional.Streams.Add(Stream(key, "GenerateDataKey", true, _ => TrailPrincipals.PaymentsLambda, ["payments-processor"], DemoAccessKeys.PaymentsLambda, 2,
                _ => "10.0.128.17", LambdaAgent, until, h ^ 3,
                _ => new JsonObject { ["keyId"] = keyRef, ["keySpec"] = "AES_256", ["encryptionContext"] = new JsonObject { ["service"] = "payments", ["purpose"] = "card-token" } },
                failing));
        }
        regional.Streams.Add(Stream(key, "DescribeKey", true, _ => TrailPrincipals.Dashboard, ["kms-dashboard"], DemoAccessKeys.Dashboard, 0.5,
            _ => "10.0.5.20", DotnetAgent, DateTimeOffset.MaxValue, h ^ 4, _ => KeyIdParameters(key)));
        regional.Streams.Add(Stream(key, "GetKeyRotationStatus", true, _ => TrailPrincipals.Dashboard, ["kms-dashboard"], DemoAccessKeys.Dashboard, 0.25,
            _ => "10.0.5.20", DotnetAgent, DateTimeOffset.MaxValue, h ^ 5, _ => KeyIdParameters(key)));
        regional.Streams.Add(Stream(key, "DescribeKey", true, _ => TrailPrincipals.Alice, ["alice"], DemoAccessKeys.Alice, 0.08,
            _ => "198.51.100.24", CliAgent, DateTimeOffset.MaxValue, h ^ 6, _ => KeyIdParameters(key), businessHours: true));
        regional.Streams.Add(Stream(key, "DescribeKey", true, _ => TrailPrincipals.Bob, ["bob"], DemoAccessKeys.Bob, 0.08,
            _ => "203.0.113.50", CliAgent, DateTimeOffset.MaxValue, h ^ 8, _ => KeyIdParameters(key), businessHours: true));
        regional.Streams.Add(Stream(key, "GetKeyPolicy", true, _ => TrailPrincipals.Bob, ["bob"], DemoAccessKeys.Bob, 0.05,
            _ => "203.0.113.50", CliAgent.Replace("describe-key", "get-key-policy", StringComparison.Ordinal), DateTimeOffset.MaxValue, h ^ 7,
            _ => new JsonObject { ["keyId"] = key.KeyId, ["policyName"] = "default" }, businessHours: true));
    }

    /// <summary>AWS managed keys are used by their service (aws/ebs by EC2, aws/s3 by S3, ...) on behalf of carol's workloads.</summary>
    private static void AddAwsManagedStreams(TrailKey key, Regional regional, DateTimeOffset until)
    {
        var h = SeedRandom.Hash(key.Arn);
        var service = key.Aliases.FirstOrDefault(a => a.StartsWith("alias/aws/", StringComparison.Ordinal))?["alias/aws/".Length..] ?? "s3";
        var host = service == "ebs" ? "ec2.amazonaws.com" : $"{service}.amazonaws.com";
        JsonObject Context(ulong p) => service switch
        {
            "ebs" => new JsonObject { ["aws:ebs:id"] = $"vol-0{p % 4096:x4}a1b2c3d4e5f6" },
            "rds" => new JsonObject { ["aws:rds:db-id"] = $"db-ORDERS{p % 7}" },
            "lambda" => new JsonObject { ["aws:lambda:FunctionArn"] = $"arn:aws:lambda:{key.Region}:{AccountFromArn(key.Arn)}:function:payments-processor" },
            "secretsmanager" => new JsonObject { ["SecretARN"] = $"arn:aws:secretsmanager:{key.Region}:{AccountFromArn(key.Arn)}:secret:prod/db-{p % 5}", ["SecretVersionId"] = $"v-{p % 97:00}" },
            _ => new JsonObject { ["aws:s3:arn"] = $"arn:aws:s3:::app-uploads-{key.Region}/uploads/{p % 997:000}.bin" },
        };
        regional.Streams.Add(Stream(key, "GenerateDataKey", true, _ => TrailPrincipals.Carol, ["carol"], DemoAccessKeys.Carol, 1.5,
            _ => host, host, until, h ^ 11,
            p => new JsonObject { ["keyId"] = key.Arn, ["keySpec"] = "AES_256", ["encryptionContext"] = Context(p) },
            invokedBy: host));
        regional.Streams.Add(Stream(key, "Decrypt", true, _ => TrailPrincipals.Carol, ["carol"], DemoAccessKeys.Carol, 2,
            _ => host, host, until, h ^ 12,
            p => new JsonObject { ["encryptionAlgorithm"] = "SYMMETRIC_DEFAULT", ["encryptionContext"] = Context(p) },
            invokedBy: host));
    }

    private static void AddRegionStreams(string region, Regional regional)
    {
        var h = SeedRandom.Hash(region);
        foreach (var (name, salt) in new[] { ("ListKeys", 21UL), ("ListAliases", 22UL) })
        {
            regional.Streams.Add(new SeededStream
            {
                Region = region,
                EventName = name,
                ReadOnly = true,
                Principal = _ => TrailPrincipals.Dashboard,
                Usernames = ["kms-dashboard"],
                AccessKeyId = DemoAccessKeys.Dashboard,
                MeanPerHour = 0.5,
                SourceIp = _ => "10.0.5.20",
                UserAgent = DotnetAgent,
                Parameters = _ => name == "ListKeys" ? new JsonObject { ["limit"] = 1000 } : new JsonObject { ["limit"] = 100 },
                Seed = h ^ salt,
            });
        }
    }

    private static SeededStream Stream(TrailKey key, string name, bool readOnly, Func<ulong, TrailPrincipal> principal, string[] usernames,
        string accessKeyId, double mean, Func<ulong, string> sourceIp, string userAgent, DateTimeOffset until, ulong seed,
        Func<ulong, JsonObject?> parameters, (DateTimeOffset, DateTimeOffset, string, string)? failing = null, bool businessHours = false,
        string? invokedBy = null, string? vpcEndpointId = null) => new()
        {
            Region = key.Region,
            EventName = name,
            ReadOnly = readOnly,
            Principal = principal,
            Usernames = usernames,
            AccessKeyId = accessKeyId,
            MeanPerHour = mean,
            BusinessHoursOnly = businessHours,
            SourceIp = sourceIp,
            UserAgent = userAgent,
            InvokedBy = invokedBy,
            VpcEndpointId = vpcEndpointId,
            Key = key,
            Parameters = parameters,
            Seed = seed,
            From = key.CreationDate,
            Until = until,
            Failing = failing,
        };

    private static TrailEvent OneOff(TrailKey key, string name, DateTimeOffset time, TrailPrincipal principal, string accessKeyId,
        string userAgent, string sourceIp, JsonObject parameters, JsonObject? response = null)
    {
        var random = new SeedRandom(SeedRandom.Hash(key.Arn + name, (ulong)time.ToUnixTimeSeconds()));
        return new TrailEvent
        {
            Time = TrailEvent.ToWholeSeconds(time),
            Region = key.Region,
            EventSource = "kms.amazonaws.com",
            EventName = name,
            EventId = random.NextGuid(),
            RequestId = random.NextGuid(),
            Principal = principal,
            AccessKeyId = accessKeyId,
            SourceIp = sourceIp,
            UserAgent = userAgent,
            ReadOnly = false,
            Resources = [key.Arn],
            RequestParameters = parameters,
            ResponseElements = response,
        };
    }

    private static TrailEvent ServiceEvent(TrailKey key, string name, DateTimeOffset time)
    {
        var random = new SeedRandom(SeedRandom.Hash(key.Arn + name, (ulong)time.ToUnixTimeSeconds()));
        return new TrailEvent
        {
            Time = TrailEvent.ToWholeSeconds(time),
            Region = key.Region,
            EventSource = "kms.amazonaws.com",
            EventName = name,
            EventId = random.NextGuid(),
            RequestId = random.NextGuid(),
            Principal = TrailPrincipal.AwsService,
            SourceIp = "kms.amazonaws.com",
            UserAgent = "kms.amazonaws.com",
            InvokedBy = "kms.amazonaws.com",
            Resources = [key.Arn],
            EventType = "AwsServiceEvent",
        };
    }

    private static JsonObject KeyIdParameters(TrailKey key) => new() { ["keyId"] = key.KeyId };

    private static string AccountFromArn(string arn) => arn.Split(':') is { Length: > 4 } parts ? parts[4] : "";

    private sealed class Plan(DateTimeOffset seedInstant, DateTimeOffset windowStart)
    {
        public DateTimeOffset SeedInstant { get; } = seedInstant;
        public DateTimeOffset WindowStart { get; } = windowStart;
        public Dictionary<string, Regional> Regions { get; } = new(StringComparer.Ordinal);

        public Regional For(string region)
        {
            if (!Regions.TryGetValue(region, out var regional)) Regions[region] = regional = new Regional();
            return regional;
        }

        public void AddOneOff(TrailEvent e)
        {
            if (e.Time < WindowStart || e.Time >= SeedInstant) return;
            var hour = (long)Math.Floor((e.Time - DateTimeOffset.UnixEpoch).TotalHours);
            var oneOff = For(e.Region).OneOff;
            if (!oneOff.TryGetValue(hour, out var list)) oneOff[hour] = list = [];
            list.Add(e);
        }
    }

    private sealed class Regional
    {
        public List<SeededStream> Streams { get; } = [];
        public Dictionary<long, List<TrailEvent>> OneOff { get; } = [];
    }
}
