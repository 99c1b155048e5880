import { parseArgs } from "node:util";
import type { PruneOptions, PruneResult } from "./prune.js";
import { type RetentionPeriod, parseRetentionPeriod, retentionCutoff } from "./retention-period.js";

export const PRUNE_USAGE = `usage: bridgelog prune [--older-than 30d] [--dry-run]

Drops the days of interceptions wholly older than the period (whole partitions, never row by
row), and the finished notification events and delivery records older than it. The period
defaults to BRIDGELOG_RETENTION. --dry-run prints what would go and changes nothing.`;

/**
 * `bridgelog prune ...`. Resolves with the exit code: 0 done (or nothing to do), 1 another
 * process was pruning, 2 bad arguments. Results go to `out`, problems to `err`.
 */
export async function runPruneCommand(
  args: string[],
  configured: RetentionPeriod | undefined,
  run: (options: PruneOptions) => Promise<PruneResult>,
  out: (line: string) => void,
  err: (line: string) => void,
  now: Date = new Date(),
): Promise<number> {
  let values: { "older-than"?: string; "dry-run": boolean; help: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "older-than": { type: "string" },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    err(`prune: ${error instanceof Error ? error.message : String(error)}\n\n${PRUNE_USAGE}`);
    return 2;
  }
  if (values.help) {
    out(PRUNE_USAGE);
    return 0;
  }
  let period = configured;
  if (values["older-than"] !== undefined) {
    const parsed = parseRetentionPeriod(values["older-than"]);
    if ("error" in parsed) {
      err(`prune: --older-than ${parsed.error}`);
      return 2;
    }
    period = parsed;
  }
  if (period === undefined) {
    err(`prune: give --older-than (or set BRIDGELOG_RETENTION)\n\n${PRUNE_USAGE}`);
    return 2;
  }

  const dryRun = values["dry-run"];
  const result = await run({ cutoff: retentionCutoff(period, now), dryRun });
  if (result.skipped) {
    err("prune: another bridgelog process is pruning right now; nothing done");
    return 1;
  }
  const verb = dryRun ? "would drop" : "dropped";
  out(`cutoff ${result.cutoff.toISOString()} (${period.days} days ago)`);
  for (const day of result.days) out(`${verb} interceptions of ${day}`);
  if (result.days.length === 0) out("no day of interceptions is wholly older than the cutoff");
  out(`${dryRun ? "would delete" : "deleted"} ${result.rollupRows} hourly rollup rows of those days`);
  out(`${dryRun ? "would delete" : "deleted"} ${result.outboxEvents} finished notification events and ${result.deliveries} delivery records`);
  return 0;
}
