import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { FailureClassifier } from "../interception/normalize-interception.js";

/**
 * The recorder's Prometheus metrics, on a registry of its own (no global state, so tests and
 * several servers in one process do not collide). Served at GET /metrics; names are listed in
 * docs/operations.md.
 */
export interface ServerMetrics {
  registry: Registry;
  rpcs: Counter<"rpc" | "code">;
  rpcSeconds: Histogram<"rpc">;
  batchSize: Histogram;
  commitSeconds: Histogram;
  queueDepth: Gauge;
  rejected: Counter<"code">;
  classified: Counter<"error_type">;
  partitionsDropped: Counter;
  rollupChangesApplied: Counter;
}

/** The classifier, counting each result in `counter` by error type, whichever RPC asked for it. */
export function countClassifications(classify: FailureClassifier, counter: Counter<"error_type">): FailureClassifier {
  return (facts) => {
    const result = classify(facts);
    counter.inc({ error_type: result.errorType });
    return result;
  };
}

export function createServerMetrics(queued: () => number): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "bridgelog_" });
  const registers = [registry];
  return {
    registry,
    rpcs: new Counter({ name: "bridgelog_rpcs_total", help: "RPCs answered, by method and status code", labelNames: ["rpc", "code"], registers }),
    rpcSeconds: new Histogram({
      name: "bridgelog_rpc_duration_seconds",
      help: "Time to answer an RPC, by method",
      labelNames: ["rpc"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    batchSize: new Histogram({
      name: "bridgelog_write_batch_size",
      help: "Interceptions written by one statement",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    }),
    commitSeconds: new Histogram({
      name: "bridgelog_write_commit_seconds",
      help: "Time for one batch statement to commit, retries included",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    queueDepth: new Gauge({
      name: "bridgelog_write_queue_depth",
      help: "Interceptions waiting for a batch",
      registers,
      collect() {
        this.set(queued());
      },
    }),
    rejected: new Counter({
      name: "bridgelog_records_rejected_total",
      help: "Interceptions not stored, by the code their caller got",
      labelNames: ["code"],
      registers,
    }),
    classified: new Counter({
      name: "bridgelog_classifier_results_total",
      help: "Failures classified by the server, by resulting error type",
      labelNames: ["error_type"],
      registers,
    }),
    partitionsDropped: new Counter({
      name: "bridgelog_partitions_dropped_total",
      help: "Days of interceptions dropped for being past BRIDGELOG_RETENTION",
      registers,
    }),
    rollupChangesApplied: new Counter({
      name: "bridgelog_rollup_changes_applied_total",
      help: "Changes to interceptions folded into the hourly rollups by this process",
      registers,
    }),
  };
}
