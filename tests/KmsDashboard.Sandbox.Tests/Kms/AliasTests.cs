namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class AliasTests
{
    [Theory]
    [InlineData("payments", "InvalidAliasNameException")]
    [InlineData("alias/", "InvalidAliasNameException")]
    [InlineData("alias/aws/mine", "InvalidAliasNameException")]
    [InlineData("alias/has space", "ValidationException")]
    public async Task AliasNamesFollowTheRules(string name, string errorCode)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");

        await KmsAssert.FailsWithAsync(errorCode, () => sandbox.Kms("us-east-1").CreateAliasAsync(new CreateAliasRequest { AliasName = name, TargetKeyId = key.KeyId }));
    }

    [Fact]
    public async Task AliasesAreUniquePerRegionAndNotCopiedToReplicas()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "eu-west-1");
        var other = await sandbox.CreateKeyAsync("us-east-1");
        var east = sandbox.Kms("us-east-1");

        await east.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/shared-name", TargetKeyId = keyId });
        await KmsAssert.FailsWithAsync("AlreadyExistsException", () => east.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/shared-name", TargetKeyId = other.KeyId }));
        Assert.Empty((await sandbox.Kms("eu-west-1").ListAliasesAsync(new ListAliasesRequest())).Aliases);
        await KmsAssert.FailsWithAsync("NotFoundException", () => sandbox.Kms("eu-west-1").DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/shared-name" }));

        // The same name in another Region is another alias.
        await sandbox.Kms("eu-west-1").CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/shared-name", TargetKeyId = keyId });
        var alias = Assert.Single((await sandbox.Kms("eu-west-1").ListAliasesAsync(new ListAliasesRequest())).Aliases);
        Assert.Equal("arn:aws:kms:eu-west-1:111122223333:alias/shared-name", alias.AliasArn);
        Assert.Equal(keyId, alias.TargetKeyId);
    }

    [Fact]
    public async Task AliasTargetsAKeyInTheSameRegion()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");

        await KmsAssert.FailsWithAsync("NotFoundException", () => sandbox.Kms("eu-west-1").CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/x", TargetKeyId = key.Arn }));
        await KmsAssert.FailsWithAsync("NotFoundException", () => sandbox.Kms("eu-west-1").CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/x", TargetKeyId = key.KeyId }));
    }

    [Fact]
    public async Task UpdateAndDeleteAlias()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var first = await sandbox.CreateKeyAsync("us-east-1");
        var second = await sandbox.CreateKeyAsync("us-east-1");
        var hmac = (await sandbox.Kms("us-east-1").CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256, KeyUsage = KeyUsageType.GENERATE_VERIFY_MAC })).KeyMetadata;
        var kms = sandbox.Kms("us-east-1");
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/app", TargetKeyId = first.KeyId });

        await kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = "alias/app", TargetKeyId = second.KeyId });
        Assert.Equal(second.KeyId, (await sandbox.DescribeAsync("us-east-1", "alias/app")).KeyId);
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = "alias/app", TargetKeyId = hmac.KeyId }));
        await KmsAssert.FailsWithAsync("NotFoundException", () => kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = "alias/none", TargetKeyId = first.KeyId }));
        Assert.Single((await kms.ListAliasesAsync(new ListAliasesRequest { KeyId = second.KeyId })).Aliases);
        Assert.Empty((await kms.ListAliasesAsync(new ListAliasesRequest { KeyId = first.KeyId })).Aliases);

        await kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = "alias/app" });
        await KmsAssert.FailsWithAsync("NotFoundException", () => kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = "alias/app" }));
    }

    [Fact]
    public async Task ListAliasesPagesBy50AndAtMost100()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var kms = sandbox.Kms("us-east-1");
        for (var i = 0; i < 120; i++) await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = $"alias/a-{i:D3}", TargetKeyId = key.KeyId });

        var first = await kms.ListAliasesAsync(new ListAliasesRequest());
        Assert.Equal(50, first.Aliases.Count);
        Assert.True(first.Truncated);
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.ListAliasesAsync(new ListAliasesRequest { Limit = 101 }));
        var all = new List<string>();
        await foreach (var alias in kms.Paginators.ListAliases(new ListAliasesRequest { Limit = 100 }).Aliases) all.Add(alias.AliasName);
        Assert.Equal(120, all.Count);
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
    }
}
