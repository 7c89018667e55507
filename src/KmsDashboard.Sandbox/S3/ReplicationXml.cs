using System.Globalization;
using System.Xml.Linq;

namespace KmsDashboard.Sandbox.S3;

/// <summary>Reads and writes <c>ReplicationConfiguration</c> as the botocore s3 model shapes it.</summary>
internal static class ReplicationXml
{
    private static readonly HashSet<string> RuleMembers = new(StringComparer.Ordinal)
        { "ID", "Priority", "Prefix", "Filter", "Status", "SourceSelectionCriteria", "DeleteMarkerReplication", "Destination", "ExistingObjectReplication" };

    public static BucketReplication Read(XElement root)
    {
        if (root.Name.LocalName != "ReplicationConfiguration") throw S3Errors.MalformedXml();
        var role = root.ChildValue("Role") ?? throw S3Errors.MalformedXml();
        var rules = new List<BucketReplicationRule>();
        foreach (var rule in root.Children("Rule"))
        {
            foreach (var member in rule.Elements())
                if (!RuleMembers.Contains(member.Name.LocalName))
                    throw S3Errors.NotImplemented($"The sandbox does not serve {member.Name.LocalName} in replication rules.");
            if (rule.Child("ExistingObjectReplication")?.ChildValue("Status") == "Enabled")
                throw S3Errors.NotImplemented("The sandbox does not serve ExistingObjectReplication.");
            var status = rule.ChildValue("Status");
            if (status is not ("Enabled" or "Disabled")) throw S3Errors.MalformedXml();
            var filter = rule.Child("Filter");
            string prefix;
            if (filter is not null)
            {
                if (filter.Child("Tag") is not null || filter.Child("And")?.Child("Tag") is not null)
                    throw S3Errors.NotImplemented("The sandbox does not serve tag filters in replication rules.");
                prefix = filter.ChildValue("Prefix") ?? filter.Child("And")?.ChildValue("Prefix") ?? "";
            }
            else
            {
                prefix = rule.ChildValue("Prefix") ?? "";
            }
            var destination = rule.Child("Destination") ?? throw S3Errors.MalformedXml();
            foreach (var member in destination.Elements())
                if (member.Name.LocalName is not ("Bucket" or "StorageClass" or "EncryptionConfiguration"))
                    throw S3Errors.NotImplemented($"The sandbox does not serve {member.Name.LocalName} in replication destinations.");
            var bucketArn = destination.ChildValue("Bucket") ?? throw S3Errors.MalformedXml();
            if (!bucketArn.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) || bucketArn.Length == "arn:aws:s3:::".Length)
                throw S3Errors.InvalidArgument("Invalid bucket ARN.", "Destination.Bucket", bucketArn);
            int? priority = null;
            if (rule.ChildValue("Priority") is { } p)
                priority = int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw S3Errors.MalformedXml();
            rules.Add(new BucketReplicationRule(
                Id: rule.ChildValue("ID") is { Length: > 0 } id ? id : S3Store.NewVersionId(),
                DestinationBucket: bucketArn["arn:aws:s3:::".Length..],
                ReplicaKmsKeyId: destination.Child("EncryptionConfiguration")?.ChildValue("ReplicaKmsKeyID"),
                SseKmsEncryptedObjects: rule.Child("SourceSelectionCriteria")?.Child("SseKmsEncryptedObjects")?.ChildValue("Status") == "Enabled",
                Prefix: prefix,
                Priority: priority,
                Enabled: status == "Enabled",
                StorageClass: destination.ChildValue("StorageClass"),
                DeleteMarkerReplication: rule.Child("DeleteMarkerReplication")?.ChildValue("Status") == "Enabled",
                UsesFilter: filter is not null));
        }
        if (rules.Count > 1 && rules.Any(r => !r.UsesFilter))
            throw S3Errors.InvalidRequest("Rules using the Prefix element (V1) cannot be combined with other rules; use Filter.");
        return new BucketReplication(role, rules);
    }

    public static XElement Write(BucketReplication configuration) => S3Xml.E("ReplicationConfiguration",
        S3Xml.E("Role", configuration.Role),
        configuration.Rules.Select(rule => S3Xml.E("Rule",
            S3Xml.E("ID", rule.Id),
            rule.Priority is { } priority ? S3Xml.E("Priority", priority) : null,
            rule.UsesFilter ? S3Xml.E("Filter", S3Xml.E("Prefix", rule.Prefix)) : S3Xml.E("Prefix", rule.Prefix),
            S3Xml.E("Status", rule.Enabled ? "Enabled" : "Disabled"),
            rule.SseKmsEncryptedObjects ? S3Xml.E("SourceSelectionCriteria", S3Xml.E("SseKmsEncryptedObjects", S3Xml.E("Status", "Enabled"))) : null,
            rule.UsesFilter ? S3Xml.E("DeleteMarkerReplication", S3Xml.E("Status", rule.DeleteMarkerReplication ? "Enabled" : "Disabled")) : null,
            S3Xml.E("Destination",
                S3Xml.E("Bucket", rule.DestinationBucketArn),
                rule.StorageClass is null ? null : S3Xml.E("StorageClass", rule.StorageClass),
                rule.ReplicaKmsKeyId is null ? null : S3Xml.E("EncryptionConfiguration", S3Xml.E("ReplicaKmsKeyID", rule.ReplicaKmsKeyId))))));
}
