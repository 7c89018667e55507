using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>
/// One steady source of seeded traffic in a Region (e.g. the order service decrypting with one key):
/// its events for any hour are drawn from a generator seeded by the stream and the hour, so nothing is stored.
/// </summary>
internal sealed class SeededStream
{
    public required string Region { get; init; }
    public required string EventName { get; init; }
    public required bool ReadOnly { get; init; }
    /// <summary>Chooses the principal for event number i (role sessions vary).</summary>
    public required Func<ulong, TrailPrincipal> Principal { get; init; }
    public required string[] Usernames { get; init; }
    public required string AccessKeyId { get; init; }
    public required double MeanPerHour { get; init; }
    public bool BusinessHoursOnly { get; init; }
    public required Func<ulong, string> SourceIp { get; init; }
    public required string UserAgent { get; init; }
    public string? InvokedBy { get; init; }
    /// <summary>The VPC endpoint the stream's calls come through (workloads inside a VPC), or null.</summary>
    public string? VpcEndpointId { get; init; }
    public TrailKey? Key { get; init; }
    public required Func<ulong, JsonObject?> Parameters { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>Traffic runs from here (the key's creation)...</summary>
    public DateTimeOffset From { get; init; } = DateTimeOffset.MinValue;
    /// <summary>...until here (the key was disabled or scheduled for deletion).</summary>
    public DateTimeOffset Until { get; init; } = DateTimeOffset.MaxValue;
    /// <summary>A period in which every call failed, with its error (the key was pending deletion).</summary>
    public (DateTimeOffset From, DateTimeOffset Until, string Code, string Message)? Failing { get; init; }

    /// <summary>False when no event of this stream can match the query's attribute (skips generating them).</summary>
    public bool CouldMatch(LookupQuery query) => query.AttributeKey switch
    {
        null or "EventId" => true,
        "EventName" => EventName == query.AttributeValue,
        "ReadOnly" => (ReadOnly ? "true" : "false") == query.AttributeValue,
        "Username" => Usernames.Contains(query.AttributeValue),
        "ResourceType" => Key is not null && query.AttributeValue == "AWS::KMS::Key",
        "ResourceName" => Key is not null && Key.Arn == query.AttributeValue,
        "EventSource" => query.AttributeValue == "kms.amazonaws.com",
        "AccessKeyId" => AccessKeyId == query.AttributeValue,
        _ => false,
    };

    public void AddEvents(long hour, DateTimeOffset notBefore, DateTimeOffset before, List<TrailEvent> into)
    {
        var hourStart = DateTimeOffset.UnixEpoch.AddHours(hour);
        if (hourStart.AddHours(1) <= From || hourStart >= Until) return;
        var mean = MeanPerHour * Activity(hourStart);
        if (mean <= 0) return;
        var random = new SeedRandom(Seed ^ ((ulong)hour * 0x9E3779B97F4A7C15UL));
        var lambda = mean * (0.5 + random.NextDouble());
        var count = (int)lambda + (random.NextDouble() < lambda - Math.Floor(lambda) ? 1 : 0);
        for (var i = 0; i < count; i++)
        {
            var pick = random.NextUInt64();
            var time = hourStart.AddSeconds(random.Next(3600));
            var eventId = random.NextGuid();
            var requestId = random.NextGuid();
            if (time < From || time >= Until || time < notBefore || time >= before) continue;
            var failing = Failing is { } f && time >= f.From && time < f.Until ? f : default;
            var principal = Principal(pick);
            into.Add(new TrailEvent
            {
                Time = time,
                Region = Region,
                EventSource = "kms.amazonaws.com",
                EventName = EventName,
                EventId = eventId,
                RequestId = requestId,
                Principal = principal,
                AccessKeyId = AccessKeyId,
                SourceIp = SourceIp(pick),
                UserAgent = UserAgent,
                ReadOnly = ReadOnly,
                ErrorCode = failing.Code,
                ErrorMessage = failing.Message,
                Resources = Key is null ? [] : [Key.Arn],
                InvokedBy = InvokedBy,
                VpcEndpointId = VpcEndpointId,
                RequestParametersFactory = () => Parameters(pick),
            });
        }
    }

    /// <summary>Busier in working hours and on weekdays; people only work then.</summary>
    private double Activity(DateTimeOffset hourStart)
    {
        var weekend = hourStart.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var working = hourStart.Hour is >= 8 and < 18;
        if (BusinessHoursOnly) return working && !weekend ? 1 : 0;
        return (working ? 1.4 : 0.6) * (weekend ? 0.5 : 1);
    }
}
