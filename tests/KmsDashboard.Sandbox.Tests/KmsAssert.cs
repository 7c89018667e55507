using Amazon.KeyManagementService;

namespace KmsDashboard.Sandbox.Tests;

/// <summary>Asserts on the KMS error code, which is what clients branch on (typed exceptions exist only per model).</summary>
public static class KmsAssert
{
    public static async Task<AmazonKeyManagementServiceException> FailsWithAsync(string errorCode, Func<Task> call)
    {
        var ex = await Assert.ThrowsAnyAsync<AmazonKeyManagementServiceException>(call);
        Assert.Equal(errorCode, ex.ErrorCode);
        return ex;
    }
}
