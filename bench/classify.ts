/**
 * How many failures classifyFailure classifies per second on one core, over the real bodies of the
 * test table (test/classify/cases.ts) taken round-robin, after a warm-up. Also reports the cost of
 * one classification for the hostile 1 MiB bodies the classifier must survive.
 *
 *   npx tsx bench/classify.ts          human-readable
 *   npx tsx bench/classify.ts --json   one JSON object
 *
 * Beside it, in the same run, a baseline: JSON.parse (and re-stringify) of the same bodies, so the
 * figure reads as a ratio that holds across machines. Kept short because the machine is shared.
 */
import { classifyFailure, type UpstreamFailure } from "../src/classify/classify-failure.js";
import { FAILURE_CASES } from "../test/classify/cases.js";

const WARM_UP_MS = 500;
const MEASURE_MS = 2_000;
const LARGE_BODY_ROUNDS = 20;
const MiB = 1024 * 1024;

const mix: readonly UpstreamFailure[] = FAILURE_CASES.map((c) => c.facts);

// Results feed a checksum so the work cannot be optimised away.
let checksum = 0;

/** Runs `work` round-robin over the mix for `ms`, in batches so clock reads stay out of the figure. */
function repeatFor(ms: number, work: (facts: UpstreamFailure) => number): { classifications: number; seconds: number } {
  const deadline = performance.now() + ms;
  let classifications = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 1_000; i++) {
      checksum += work(mix[classifications % mix.length]!);
      classifications++;
    }
  }
  return { classifications, seconds: (performance.now() - started) / 1_000 };
}

const classify = (facts: UpstreamFailure) => {
  const result = classifyFailure(facts);
  return result.errorType.length + (result.retryable ? 1 : 0);
};

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

const report = {
  benchmark: "classifyFailure",
  cases: mix.length,
  classifications: run.classifications,
  seconds: Number(run.seconds.toFixed(3)),
  classificationsPerSecond: perSecond,
  microsPerClassification: Number((1e6 / perSecond).toFixed(2)),
  baselineParsePerSecond: baselinePerSecond,
  ratioToParse: Number((perSecond / baselinePerSecond).toFixed(2)),
  largeBodyMicros,
  node: process.version,
  checksum,
};

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(report));
} else {
  console.log(`classifyFailure: ${perSecond.toLocaleString("en-US")} classifications/s on one core`);
  const count = report.classifications.toLocaleString("en-US");
  console.log(`  ${count} classifications of ${mix.length} real cases in ${report.seconds}s`);
  console.log(`  ${report.microsPerClassification} µs per classification`);
  console.log(
    `  baseline, JSON.parse + stringify of the same bodies: ${baselinePerSecond.toLocaleString("en-US")}/s; ratio ${report.ratioToParse}`,
  );
  for (const [name, micros] of Object.entries(largeBodyMicros)) {
    console.log(`  ${name}: ${micros} µs per classification`);
  }
}
