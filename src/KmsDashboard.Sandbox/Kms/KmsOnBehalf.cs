using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// KMS calls another sandbox service makes on a caller's behalf (S3's SSE-KMS): the same operation handlers, key-state
/// checks, quotas and last-usage tracking as a call over the wire, recorded in the key's Region as an event invoked by
/// the service (<c>userIdentity.invokedBy</c>, <c>sourceIPAddress</c> and <c>userAgent</c> name it) for the caller's access key.
/// Failures are thrown as the <see cref="KmsException"/> KMS would answer; the caller's service translates them.
/// </summary>
internal sealed class KmsOnBehalf(KmsStore store, KmsQuotas quotas, SandboxOptions options)
{
    public const string S3 = "s3.amazonaws.com";

    /// <summary>GenerateDataKey (AES_256) under <paramref name="keyId"/> (key id, key ARN, alias name or alias ARN) in <paramref name="region"/>.</summary>
    public KmsDataKey GenerateDataKey(string region, string keyId, IReadOnlyDictionary<string, string> context, string accessKeyId, string service = S3)
    {
        var body = new JsonObject { ["KeyId"] = keyId, ["KeySpec"] = "AES_256", ["EncryptionContext"] = ContextJson(context) };
        var response = Run(region, "GenerateDataKey", body, accessKeyId, service);
        return new KmsDataKey(response["KeyId"]!.GetValue<string>(),
            Convert.FromBase64String(response["Plaintext"]!.GetValue<string>()),
            Convert.FromBase64String(response["CiphertextBlob"]!.GetValue<string>()));
    }

    /// <summary>Decrypt of a data key S3 stored; KMS finds the key from the ciphertext itself.</summary>
    public KmsDataKey Decrypt(string region, byte[] ciphertext, IReadOnlyDictionary<string, string> context, string accessKeyId, string service = S3)
    {
        var body = new JsonObject { ["CiphertextBlob"] = Convert.ToBase64String(ciphertext), ["EncryptionContext"] = ContextJson(context) };
        var response = Run(region, "Decrypt", body, accessKeyId, service);
        return new KmsDataKey(response["KeyId"]!.GetValue<string>(), Convert.FromBase64String(response["Plaintext"]!.GetValue<string>()), ciphertext);
    }

    /// <summary>
    /// The AWS managed key for a service (<c>alias/aws/s3</c>) in a Region, created on first use as AWS does when
    /// SSE-KMS names no key. Returns its alias name.
    /// </summary>
    public string AwsManagedKey(string region, string service)
    {
        var alias = AliasRules.AwsPrefix + service;
        lock (store.Gate)
        {
            if (store.FindAlias(region, alias) is null)
            {
                var now = store.Clock.UtcNow;
                var family = new KeyFamily(KmsStore.NewKeyId(multiRegion: false), false, KeySpecs.SymmetricDefault, "ENCRYPT_DECRYPT", "AWS_KMS", region)
                {
                    // AWS rotates its managed keys every year.
                    RotationEnabled = true,
                    RotationPeriodInDays = 365,
                    NextRotationDate = now.AddDays(365),
                };
                family.Materials.Add(KeyMaterial.Generate(KeySpecs.MaterialLength(KeySpecs.SymmetricDefault), now));
                var key = store.AddKey(family, region, now, keyManager: "AWS");
                key.Description = $"Default key that protects my {service.ToUpperInvariant()} objects when no other key is defined";
                key.Policy = DefaultKeyPolicy.AwsManaged(store.AccountId, service, region);
                store.AddAlias(region, alias, key, now);
            }
        }
        return alias;
    }

    private JsonObject Run(string region, string operationName, JsonObject body, string accessKeyId, string service)
    {
        var operation = KmsOperationTable.ByName[operationName];
        var events = new List<SandboxCall>();
        var now = store.Clock.UtcNow;
        var requestId = Guid.NewGuid().ToString();
        KmsCallContext? ctx = null;
        JsonObject? response = null;
        KmsException? error = null;
        try
        {
            if (options.EnforceQuotas && !quotas.TryAcquire(region, operation)) throw KmsErrors.Throttling();
            lock (store.Gate)
            {
                store.RunDueLocked(now, events);
                ctx = new KmsCallContext(store, region, body, now, null, requestId);
                response = operation.Handle(ctx) ?? [];
            }
        }
        catch (KmsException ex)
        {
            error = ex;
        }
        var parameters = (JsonObject)body.DeepClone();
        parameters.Remove("CiphertextBlob");
        events.Add(new SandboxCall
        {
            Time = now,
            Region = region,
            Service = "kms",
            Operation = operation.Name,
            RequestId = requestId,
            EventId = ctx?.EventId ?? Guid.NewGuid().ToString(),
            AccessKeyId = accessKeyId,
            SourceIp = service,
            UserAgent = service,
            ReadOnly = operation.ReadOnly,
            RequestParameters = parameters,
            ErrorCode = error?.Code,
            ErrorMessage = error?.Message,
            Resources = ctx?.Resources.ToArray() ?? [],
            InvokedBy = service,
        });
        store.Publish(events);
        if (error is not null) throw error;
        return response!;
    }

    private static JsonObject ContextJson(IReadOnlyDictionary<string, string> context)
    {
        var json = new JsonObject();
        foreach (var (key, value) in context) json[key] = value;
        return json;
    }
}
