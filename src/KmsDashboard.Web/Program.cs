using KmsDashboard.Web.Components;
using KmsDashboard.Web.Features.Actions;
using KmsDashboard.Web.Features.Approvals;
using KmsDashboard.Web.Features.Audit;
using KmsDashboard.Web.Features.Dependents;
using KmsDashboard.Web.Features.Drills;
using KmsDashboard.Web.Features.Findings;
using KmsDashboard.Web.Features.Inventory;
using KmsDashboard.Web.Features.Runbooks;
using KmsDashboard.Web.Features.SignIn;
using KmsDashboard.Web.Features.Usage;
using KmsDashboard.Web.Features.Wizards;
using KmsDashboard.Web.Hosting;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorComponents().AddInteractiveServerComponents(o =>
{
    // Measured by bench `circuits` (bench/README.md): under 1 MB of live heap per circuit on the 10,000-key map, which a
    // disconnected circuit keeps until it is dropped. 50 retained for 2 minutes caps abandoned circuits near 50 MB and
    // still covers a network blip or a laptop lid. Render batches are acknowledged as fast as they are sent (active
    // heap = idle heap), so MaxBufferedUnacknowledgedRenderBatches keeps its default. Overridable in the Circuits
    // section (Circuits:DisconnectedCircuitMaxRetained, ...).
    o.DisconnectedCircuitMaxRetained = 50;
    o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(2);
});
builder.Services.Configure<Microsoft.AspNetCore.Components.Server.CircuitOptions>(builder.Configuration.GetSection("Circuits"));
builder.Services.AddHttpContextAccessor();   // the theme cookie, read while prerendering
builder.Services.AddMudServices();
builder.AddDashboard();                    // settings, validated options, AWS clients, Region health, backend identity
await builder.AddSandboxIfEnabledAsync();  // Backend:Mode=Sandbox: the embedded sandbox on a free loopback port
builder.AddProductionHosting();            // ForwardedHeaders:*, HSTS, Secure cookies, Data Protection keys in the data directory
builder.AddDashboardSignIn();              // local (development) and OpenID Connect sign-in, roles and policies
builder.AddKeyActions();                   // guarded key actions, Safety:ReadOnly, the action journal (SQLite)
builder.Services.AddUsageFeature();        // CloudWatch usage and cost: /usage, /cost, the key page's Usage tab
builder.AddDashboardAudit();               // CloudTrail: /audit, streamed exports, the key page's Activity tab
builder.AddWizards();                      // /wizards: bulk automatic rotation, on-demand rotation
builder.AddRunbooks();                     // resumable runbooks (runbooks.db): manual rotation, retire, /runbooks
builder.AddApprovals();                    // two-person rule (approvals.db): Safety:RequireApproval, /approvals
builder.AddDashboardDependents();          // S3 buckets, grants, CloudTrail callers, object scans: the key page's Dependents tab
builder.AddFailoverDrills();               // failover drills (drills.db): /drills, the key page's Failover drill tab
builder.AddDashboardTelemetry();           // OpenTelemetry: AWS calls, refreshes, actions, exports, circuits; OTLP and /metrics
builder.AddDashboardFindings();            // /findings: the checks after every refresh, findings.db, suppressions, exports
builder.AddHeapDiagnostics();              // Diagnostics:HeapEndpoint=true (bench only): GET /_diagnostics/heap
builder.AddDashboardCluster();             // Storage:Provider=Postgres: one refresher (leader lock), shared snapshot and CloudTrail pacing

var app = builder.Build();
app.UseProductionHosting();                // forwarded headers from known proxies, then HSTS (outside Development)
app.UseSecurityHeaders(app.Services.GetRequiredService<SignInSchemes>().ContentSecurityPolicy);   // first: every response
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
// Routing, authentication and authorization after the headers, so their redirects and 401/403 challenges carry them.
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseDashboardTelemetry();               // export spans and counts; GET /metrics when Telemetry:Prometheus:Enabled

app.MapStaticAssets().AllowAnonymous();     // the sign-in page's styles and scripts, whatever the fallback policy
app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapInventoryExport();                  // GET /inventory/keymap.csv: the key map as shown
app.MapDashboardSignIn();
app.MapKeyActions();                       // GET /journal/export.csv (Auditor, Admin)
app.MapAuditExport();                      // GET /audit/export: CloudTrail CSV / JSON Lines, streamed (Auditor, Admin)
app.MapRunbooks();                         // GET /runbooks/{id}/export.csv|json: a runbook's history
app.MapDashboardFindings();                // GET /findings/export?format=csv|json|sarif, /findings/suppressions.json (Auditor, Admin)
app.MapHeapDiagnostics();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the test projects.</summary>
public partial class Program;
