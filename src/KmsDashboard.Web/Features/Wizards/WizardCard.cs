namespace KmsDashboard.Web.Features.Wizards;

/// <summary>One wizard on the /wizards landing page: what it does, who may run it, and where it lives.</summary>
public sealed record WizardCard(string Id, string Title, string Description, string Roles, string Route, string Icon);
