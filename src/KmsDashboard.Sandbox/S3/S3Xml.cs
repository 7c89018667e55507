using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.S3;

/// <summary>REST-XML as S3 writes and reads it: the 2006-03-01 namespace, ISO-8601 times in bodies, RFC 1123 in headers.</summary>
internal static class S3Xml
{
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Http(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);

    public static async Task WriteAsync(HttpResponse response, XElement root, CancellationToken cancellationToken, int status = 200)
    {
        response.StatusCode = status;
        response.ContentType = "application/xml";
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting);
        await response.WriteAsync(text, cancellationToken);
    }

    /// <summary>The request body as XML; a body that is not XML is MalformedXML, as S3 answers it.</summary>
    public static XElement Parse(byte[] body)
    {
        try
        {
            using var stream = new MemoryStream(body);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XElement.Load(reader);
        }
        catch (XmlException)
        {
            throw S3Errors.MalformedXml();
        }
    }

    /// <summary>The first child with this local name, whatever namespace the client used.</summary>
    public static XElement? Child(this XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static IEnumerable<XElement> Children(this XElement element, string name) => element.Elements().Where(e => e.Name.LocalName == name);

    public static string? ChildValue(this XElement element, string name) => element.Child(name)?.Value;

    /// <summary>Copies an element into the S3 namespace (what GetBucketReplication returns is what was put).</summary>
    public static XElement InNamespace(XElement element) =>
        new(Ns + element.Name.LocalName, element.Attributes().Where(a => !a.IsNamespaceDeclaration),
            element.Nodes().Select(n => n is XElement child ? InNamespace(child) : n));
}
