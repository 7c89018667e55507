namespace KmsDashboard.Core.Tests.Moto;

/// <summary>Tests in this collection share one moto_server (<see cref="MotoServer"/>) and so do not run in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
