/**
 * How many failures classifyFailure classifies per second on one core, over the real bodies of the
 * test table (test/classify/cases.ts) taken round-robin, after a warm-up. Also reports the cost of
 * one classification for the hostile 1 MiB bodies the classifier must survive.
 *
 *   npx tsx bench/classify.ts                      human-readable
 *   npx tsx bench/classify.ts --json               one JSON object
 *   npx tsx bench/classify.ts --against /work/main  also this checkout against another one's classifier
 *
 * Beside it, in the same run, a baseline: JSON.parse (and re-stringify) of the same bodies, so the
 * figure reads as a ratio that holds across machines. Kept short because the machine is shared.
 * Rates are given per wall-clock second and per CPU-second of this process (process.cpuUsage): on
 * a shared machine the wall-clock rate counts time the process spent waiting for a core.
 *
 * `--against <dir>` loads `<dir>/src/classify/classify-failure.ts` too and times both on the same
 * mix in alternating rounds, so both see the same machine, and reports the ratio per CPU-second.
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { classifyFailure, type UpstreamFailure } from "../src/classify/classify-failure.js";
import { FAILURE_CASES } from "../test/classify/cases.js";

type Classify = typeof classifyFailure;
const againstAt = process.argv.indexOf("--against");
const againstDir = againstAt >= 0 ? process.argv[againstAt + 1] : undefined;
const against: Classify | undefined =
  againstDir === undefined
    ? undefined
    : ((await import(pathToFileURL(join(resolve(againstDir), "src/classify/classify-failure.ts")).href)) as {
        classifyFailure: Classify;
      }).classifyFailure;
const COMPARE_ROUNDS = 6;
const COMPARE_ROUND_MS = 500;

const WARM_UP_MS = 500;
const MEASURE_MS = 2_000;
const LARGE_BODY_ROUNDS = 20;
const MiB = 1024 * 1024;

const mix: readonly UpstreamFailure[] = FAILURE_CASES.map((c) => c.facts);

// Results feed a checksum so the work cannot be optimised away.
let checksum = 0;

/** Runs `work` round-robin over the mix for `ms`, in batches so clock reads stay out of the figure. */
interface Run {
  classifications: number;
  seconds: number;
  /** CPU time of the whole process (user + system), in seconds. */
  cpuSeconds: number;
}

function repeatFor(ms: number, work: (facts: UpstreamFailure) => number): Run {
  const deadline = performance.now() + ms;
  let classifications = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 1_000; i++) {
      checksum += work(mix[classifications % mix.length]!);
      classifications++;
    }
  }
  const used = process.cpuUsage(cpu);
  return { classifications, seconds: (performance.now() - started) / 1_000, cpuSeconds: (used.user + used.system) / 1e6 };
}

const classifyWith = (impl: Classify) => (facts: UpstreamFailure) => {
  const result = impl(facts);
  return result.errorType.length + (result.retryable ? 1 : 0);
};
const classify = classifyWith(classifyFailure);

/**
 * The baseline, measured in the same run: what merely parsing each body as JSON costs (what any
 * classifier that looks inside the body pays at least once).
 */
const parseOnly = (facts: UpstreamFailure) => {
  try {
    return JSON.stringify(JSON.parse(facts.body ?? "")).length & 1;
  } catch {
    return 0;
  }
};
const classifyFor = (ms: number) => repeatFor(ms, classify);

function microsPerClassification(facts: UpstreamFailure): number {
  classifyFailure(facts);
  const started = performance.now();
  for (let i = 0; i < LARGE_BODY_ROUNDS; i++) checksum += classifyFailure(facts).errorType.length;
  return Math.round(((performance.now() - started) * 1_000) / LARGE_BODY_ROUNDS);
}

classifyFor(WARM_UP_MS);
const run = classifyFor(MEASURE_MS);
const perSecond = Math.round(run.classifications / run.seconds);
const perCpuSecond = Math.round(run.classifications / run.cpuSeconds);
repeatFor(WARM_UP_MS, parseOnly);
const baseline = repeatFor(MEASURE_MS, parseOnly);
const baselinePerSecond = Math.round(baseline.classifications / baseline.seconds);

const largeBodies: Record<string, UpstreamFailure> = {
  "1 MiB of [": { body: "[".repeat(MiB) },
  "1 MiB of a": { body: "a".repeat(MiB), message: "a".repeat(MiB) },
  "1 MiB JSON, signal first": {
    httpStatus: 500,
    body: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"padding":"${"x".repeat(MiB)}"}`,
  },
  "1 MiB HTML page": { httpStatus: 502, body: `<html><body>${"x".repeat(MiB)}</body></html>` },
};
const largeBodyMicros = Object.fromEntries(
  Object.entries(largeBodies).map(([name, facts]) => [name, microsPerClassification(facts)]),
);

/** Both classifiers in alternating rounds after a warm-up each, summed per side. */
function compare(other: Classify) {
  const otherClassify = classifyWith(other);
  repeatFor(WARM_UP_MS, otherClassify);
  const sums = { this: { classifications: 0, cpuSeconds: 0 }, against: { classifications: 0, cpuSeconds: 0 } };
  for (let round = 0; round < COMPARE_ROUNDS; round++) {
    for (const [side, work] of [["this", classify], ["against", otherClassify]] as const) {
      const r = repeatFor(COMPARE_ROUND_MS, work);
      sums[side].classifications += r.classifications;
      sums[side].cpuSeconds += r.cpuSeconds;
    }
  }
  const thisPerCpuSecond = Math.round(sums.this.classifications / sums.this.cpuSeconds);
  const againstPerCpuSecond = Math.round(sums.against.classifications / sums.against.cpuSeconds);
  return {
    against: againstDir,
    thisPerCpuSecond,
    againstPerCpuSecond,
    ratio: Number((thisPerCpuSecond / againstPerCpuSecond).toFixed(2)),
  };
}
const comparison = against === undefined ? undefined : compare(against);

const report = {
  benchmark: "classifyFailure",
  cases: mix.length,
  classifications: run.classifications,
  seconds: Number(run.seconds.toFixed(3)),
  cpuSeconds: Number(run.cpuSeconds.toFixed(3)),
  classificationsPerSecond: perSecond,
  classificationsPerCpuSecond: perCpuSecond,
  microsPerClassification: Number((1e6 / perSecond).toFixed(2)),
  baselineParsePerSecond: baselinePerSecond,
  ratioToParse: Number((perSecond / baselinePerSecond).toFixed(2)),
  largeBodyMicros,
  ...(comparison === undefined ? {} : { comparison }),
  node: process.version,
  checksum,
};

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(report));
} else {
  console.log(`classifyFailure: ${perSecond.toLocaleString("en-US")} classifications/s on one core`);
  console.log(`  ${perCpuSecond.toLocaleString("en-US")} classifications per CPU-second`);
  const count = report.classifications.toLocaleString("en-US");
  console.log(`  ${count} classifications of ${mix.length} real cases in ${report.seconds}s (${report.cpuSeconds} CPU-s)`);
  console.log(`  ${report.microsPerClassification} µs per classification`);
  console.log(
    `  baseline, JSON.parse + stringify of the same bodies: ${baselinePerSecond.toLocaleString("en-US")}/s; ratio ${report.ratioToParse}`,
  );
  for (const [name, micros] of Object.entries(largeBodyMicros)) {
    console.log(`  ${name}: ${micros} µs per classification`);
  }
  if (comparison !== undefined) {
    const { thisPerCpuSecond, againstPerCpuSecond, ratio } = comparison;
    console.log(
      `  against ${againstDir}, alternating rounds: this ${thisPerCpuSecond.toLocaleString("en-US")}/CPU-s, ` +
        `that ${againstPerCpuSecond.toLocaleString("en-US")}/CPU-s; ratio ${ratio}`,
    );
  }
}
