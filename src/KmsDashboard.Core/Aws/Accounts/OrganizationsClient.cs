using Amazon.Runtime;

namespace KmsDashboard.Core.Aws.Accounts;

/// <summary>
/// AWS Organizations over AWS JSON 1.1 (AWSSDK.Organizations is not available here): ListAccounts, paged, from the
/// management account (or a delegated administrator). Organizations is a global service signed in us-east-1.
/// </summary>
public sealed class OrganizationsClient(AWSCredentials credentials, Uri? endpoint)
    : AwsJsonClient(credentials, SigningRegion, AwsJsonProtocol.Organizations, endpoint)
{
    public const string SigningRegion = "us-east-1";

    /// <summary>One page of ListAccounts (at most 20 accounts).</summary>
    public Task<ListAccountsResponse> ListAccountsAsync(ListAccountsRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<ListAccountsRequest, ListAccountsResponse>("ListAccounts", request, cancellationToken);

    /// <summary>Every account of the organization, following NextToken.</summary>
    public async Task<IReadOnlyList<OrganizationAccount>> ListAllAccountsAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<OrganizationAccount>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await ListAccountsAsync(new ListAccountsRequest { MaxResults = 20, NextToken = token }, cancellationToken);
            all.AddRange(page.Accounts ?? []);
            token = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
            // A server that hands back the same token forever must not hold the refresh up forever.
            if (++pages > 1000) throw new AwsServiceException("TooManyPages", "Organizations ListAccounts returned more than 1000 pages.",
                System.Net.HttpStatusCode.OK, null, "organizations", "ListAccounts", SigningRegion, 1);
        } while (token is not null);
        return all;
    }
}

public sealed class ListAccountsRequest
{
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}

public sealed class ListAccountsResponse
{
    public List<OrganizationAccount>? Accounts { get; set; }
    public string? NextToken { get; set; }
}

/// <summary>An account as Organizations lists it.</summary>
public sealed class OrganizationAccount
{
    public string? Id { get; set; }
    public string? Arn { get; set; }
    public string? Email { get; set; }
    public string? Name { get; set; }
    /// <summary>ACTIVE, SUSPENDED or PENDING_CLOSURE (the older field; <c>State</c> is its successor).</summary>
    public string? Status { get; set; }
    public string? State { get; set; }
    public string? JoinedMethod { get; set; }
    public DateTime? JoinedTimestamp { get; set; }
}
