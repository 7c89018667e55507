using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>TagResource, UntagResource, ListResourceTags: tags are independent per Region.</summary>
internal static class TagOperations
{
    public static IEnumerable<KmsOperation> All =>
    [
        new("TagResource", false, TagResource),
        new("UntagResource", false, UntagResource),
        new("ListResourceTags", true, ListResourceTags),
    ];

    private static JsonObject? TagResource(KmsCallContext ctx)
    {
        var key = ctx.Key();
        var tags = ctx.Tags() ?? throw KmsErrors.Required("Tags");
        KeyGuards.CustomerManaged(key, "TagResource", ctx.AccountId);
        KeyGuards.Settled(key);
        TagRules.Apply(key, tags);
        return null;
    }

    private static JsonObject? UntagResource(KmsCallContext ctx)
    {
        var key = ctx.Key();
        var tagKeys = ctx.Strings("TagKeys") ?? throw KmsErrors.Required("TagKeys");
        KeyGuards.CustomerManaged(key, "UntagResource", ctx.AccountId);
        KeyGuards.Settled(key);
        foreach (var tagKey in tagKeys) key.Tags.Remove(tagKey);
        return null;
    }

    private static JsonObject ListResourceTags(KmsCallContext ctx)
    {
        var key = ctx.Key();
        var tags = key.Tags.Select((t, i) => (Tag: t, Index: i));
        var page = Paging.Take(tags, t => t.Index.ToString("D4"), ctx.Int("Limit", 1, 50), 50, 50, ctx.String("Marker", 1, 1024));
        var result = new JsonObject
        {
            ["Tags"] = KmsJson.TagList(page.Items.Select(t => t.Tag)),
            ["Truncated"] = page.Truncated,
        };
        if (page.NextMarker is not null) result["NextMarker"] = page.NextMarker;
        return result;
    }
}
