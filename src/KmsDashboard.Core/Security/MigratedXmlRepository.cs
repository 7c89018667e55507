using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace KmsDashboard.Core.Security;

/// <summary>
/// The key ring in the database: the sign-in store's migrations are applied before the first read or write, which may
/// come before the start-up services ran (a request arriving early, a cookie read while starting).
/// </summary>
internal sealed class MigratedXmlRepository(IXmlRepository inner, SignInSessionStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        store.EnsureCreatedAsync(CancellationToken.None).GetAwaiter().GetResult();
        return inner.GetAllElements();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        store.EnsureCreatedAsync(CancellationToken.None).GetAwaiter().GetResult();
        inner.StoreElement(element, friendlyName);
    }
}
