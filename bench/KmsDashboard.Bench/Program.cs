using KmsDashboard.Bench.Inventory;
using KmsDashboard.Bench.Usage;

namespace KmsDashboard.Bench;

/// <summary>Runs the benchmark named on the command line (default: all).</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var which = args.FirstOrDefault() ?? "all";
        if (which is "audit")
        {
            await Audit.AuditExportBenchmark.RunAsync(args.Skip(1).ToArray());
            return 0;
        }
        if (which is "s3scan")
        {
            await S3Scan.S3ScanBenchmark.RunAsync(args.Skip(1).ToArray());
            return 0;
        }
        if (which is "actions")
        {
            await Actions.ActionsLoadBenchmark.RunAsync(args.Skip(1).ToArray());
            return 0;
        }
        if (which is "keymap")
        {
            await KeyMapBrowserTiming.RunAsync(args.Skip(1).ToArray());
            return 0;
        }
        if (which is "findings")
        {
            await Findings.FindingsBenchmark.RunAsync(args.Skip(1).ToArray());
            return 0;
        }
        if (which is "circuits")
        {
            await Circuits.CircuitsBenchmark.RunAsync(args.Skip(1).ToArray());
            return 0;
        }
        if (which is "callcost")
        {
            await CallCostProbe.RunAsync(args.Skip(1).ToArray());
            return 0;
        }
        if (which is "inventory" or "all")
        {
            await InventoryBenchmark.RunAsync(args.Skip(1).ToArray());
            if (which == "inventory") return 0;
        }
        if (which is "usage" or "all")
        {
            await UsageBenchmark.RunAsync(args.Skip(1).ToArray());
            return 0;
        }
        Console.Error.WriteLine($"Unknown benchmark '{which}'. Known: inventory, keymap, circuits, actions, callcost, usage, audit, s3scan, findings.");
        return 2;
    }
}
