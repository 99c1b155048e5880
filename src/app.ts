import { Code, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import type { Logger } from "pino";
import { Health } from "../gen/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../gen/grpc/reflection/v1/reflection_pb.js";
import { ClassifierService } from "../gen/bridgelog/v1/classifier_service_pb.js";
import { DeviceService } from "../gen/bridgelog/v1/device_service_pb.js";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import { RecorderService } from "../gen/bridgelog/v1/recorder_service_pb.js";
import { createClassifierService } from "./classify/classifier-service.js";
import { classifyFailure } from "./classify/classify-failure.js";
import type { Config } from "./config.js";
import { authenticateBeforeBody } from "./auth/authenticate-before-body.js";
import { createAuthenticator } from "./auth/authenticator.js";
import { requireToken } from "./auth/require-token.js";
import { SERVICE_ACCESS } from "./auth/service-access.js";
import { createTokenStore, type TokenStore } from "./auth/token-store.js";
import { startEmbeddedPostgres } from "./db/embedded-postgres.js";
import { migrate } from "./db/migrate.js";
import { createDeviceService } from "./devices/device-service.js";
import { createDeviceStore } from "./devices/device-store.js";
import { createDatabaseProbe, createHealthService } from "./health/health-service.js";
import { createUndoStack } from "./lifecycle/undo-stack.js";
import { createNotifyPolicy } from "./outbox/notify-policy.js";
import { createBatchWriter } from "./recorder/batch-writer.js";
import { createRecorderService } from "./recorder/recorder-service.js";
import { databaseUnavailable } from "./rpc/database-unavailable.js";
import { guardStreams } from "./rpc/guard-streams.js";
import { logRpcs } from "./rpc/log-rpcs.js";
import { serviceRegistration } from "./rpc/service-registration.js";
import { measureRpcs } from "./metrics/measure-rpcs.js";
import { serveMetrics } from "./metrics/notifier-metrics.js";
import { countClassifications, createServerMetrics } from "./metrics/server-metrics.js";
import { createQueryService } from "./query/query-service.js";
import { createReflectionService } from "./reflection/reflection-service.js";
import { startPartitionMaintenance } from "./retention/partition-maintenance.js";
import { startRollupApplier } from "./rollups/rollup-applier.js";
import { withCors } from "./server/cors.js";
import { createGrpcJsServer, routeGrpcStreams } from "./server/grpc-js-server.js";
import { createOnePortServer } from "./server/one-port-server.js";
import { createPlainHttp } from "./server/plain-http.js";
import { createDashboard } from "./server/static-files.js";
import { TraceService } from "../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { createTraceExport } from "./otlp/export-traces.js";
import { withOtlpHttp } from "./otlp/otlp-http.js";
import { createTraceService } from "./otlp/trace-service.js";

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  port: number;
  /** Where /metrics is served when BRIDGELOG_METRICS_LISTEN moves it off the service port. */
  metricsUrl: string | undefined;
  /** The API tokens in this server's database (for `npm start`'s local token, and tests). */
  tokens: TokenStore;
  /** Graceful stop: refuse new work, finish and commit what was accepted, close everything. */
  stop(): Promise<void>;
}

const urlOf = (address: AddressInfo) => `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

/** Partitions are made ahead, and with a retention period old days pruned, this often. */
const MAINTENANCE_INTERVAL_MS = 3_600_000;

// The rollups trail the raw rows by about this much (readers count what is pending, so this sets
// the cost of a summary, not its answer); one statement folds in at most this many changes.
const ROLLUP_APPLY_INTERVAL_MS = 250;
const ROLLUP_APPLY_MAX_CHANGES = 20_000;

/**
 * Builds and starts the server: the database (embedded when no URL is configured), migrations,
 * the group-commit writer, every service behind token checks, logs and metrics, and one port for
 * gRPC, gRPC-Web, Connect, /healthz, /metrics and the dashboard.
 */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  // What has been started so far, to undo in reverse on stop, or if a later step fails.
  const undo = createUndoStack();
  try {
    const embedded =
      config.databaseUrl === undefined
        ? await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log })
        : undefined;
    if (embedded !== undefined) undo.push(() => embedded.stop());
    const sql = postgres(config.databaseUrl ?? embedded!.url, {
      max: config.databasePoolSize,
      onnotice: () => {},
      connect_timeout: 10,
    });
    // By the time this runs the writer has drained, so nothing legitimate is pending; the short
    // timeout is for postgres.js, whose end() otherwise waits out the timeout whenever a
    // connection was lost earlier in the process's life.
    undo.push(() => sql.end({ timeout: 1 }));
    // With a replica configured, QueryService (and so the dashboard) reads it; everything that
    // writes, or must see a write at once, stays on the primary: the recorder, tokens, devices,
    // migrations, partitions, and the health of the whole server. Replicas lag (docs/operations.md).
    const readSql =
      config.readDatabaseUrl === undefined
        ? sql
        : postgres(config.readDatabaseUrl, { max: config.databasePoolSize, onnotice: () => {}, connect_timeout: 10 });
    if (readSql !== sql) undo.push(() => readSql.end({ timeout: 1 }));
    await migrate(sql, log);

    const metrics = createServerMetrics(() => writer.queued());
    const writer = createBatchWriter({
      sql,
      log,
      batchMaxSize: config.batchMaxSize,
      batchMaxWaitMs: config.batchMaxWaitMs,
      queueMax: config.queueMax,
      batchMaxInFlight: config.batchMaxInFlight,
      writeRetries: config.writeRetries,
      writeRetryBaseMs: config.writeRetryBaseMs,
      notifyPolicy: createNotifyPolicy(config.notifyErrorTypes),
      onCommit: (size, seconds) => {
        metrics.batchSize.observe(size);
        metrics.commitSeconds.observe(seconds);
      },
    });
    // Before any write: today's partition and the week ahead exist, and past-retention days go.
    const maintenance = await startPartitionMaintenance({
      sql,
      log,
      retention: config.retention,
      intervalMs: MAINTENANCE_INTERVAL_MS,
      onPruned: (days) => metrics.partitionsDropped.inc(days),
    });
    undo.push(() => maintenance.stop());
    const rollups = startRollupApplier({
      sql,
      log,
      intervalMs: ROLLUP_APPLY_INTERVAL_MS,
      maxChanges: ROLLUP_APPLY_MAX_CHANGES,
      onApplied: (changes) => metrics.rollupChangesApplied.inc(changes),
    });
    undo.push(() => rollups.stop());

    let stopping = false;
    const probe = createDatabaseProbe(sql, () => stopping);
    const readProbe = readSql === sql ? probe : createDatabaseProbe(readSql, () => stopping);
    const classify = countClassifications(classifyFailure, metrics.classified);
    const tokens = createTokenStore(sql);
    const authenticator = createAuthenticator({ store: tokens, cacheMs: config.tokenCacheMs });
    const limits = {
      errorMessageMaxBytes: config.errorMessageMaxBytes,
      maxStreamRecords: config.maxStreamRecords,
      startedAtMaxAgeDays: config.retention?.days,
    };
    const onRejected = (code: Code) => metrics.rejected.inc({ code: Code[code] });
    // OTLP trace export (docs/otlp.md): GenAI spans through the same normalisation and writer.
    const exportTraces = createTraceExport({ writer, classify, limits, onRejected });
    // Built once, outside routes (which runs once per body limit): its watchers share one probe.
    const health = createHealthService({
      probe,
      probes: { [QueryService.typeName]: readProbe },
      services: [RecorderService, TraceService, ClassifierService, QueryService, DeviceService, Health, ServerReflection].map((s) => s.typeName),
      maxWatchers: config.maxHealthWatchers,
    });
    // Built once, and served by both stacks (src/server/grpc-js-server.ts).
    const services = [
      serviceRegistration(RecorderService, createRecorderService({ writer, classify, onRejected, limits })),
      serviceRegistration(TraceService, createTraceService(exportTraces)),
      serviceRegistration(ClassifierService, createClassifierService(classify)),
      serviceRegistration(QueryService, createQueryService({ sql: readSql })),
      serviceRegistration(DeviceService, createDeviceService({ devices: createDeviceStore(sql) })),
      serviceRegistration(Health, health),
    ];
    // Last, so it describes every service registered above, and itself.
    services.push(serviceRegistration(ServerReflection, createReflectionService([...services.map((s) => s.service), ServerReflection])));
    const routes = (router: ConnectRouter) => {
      for (const { service, impl } of services) router.service(service, impl);
    };
    const interceptors = [
      logRpcs(log),
      measureRpcs(metrics),
      databaseUnavailable(),
      requireToken(authenticator, SERVICE_ACCESS),
      guardStreams({ authenticator, recheckMs: config.tokenCacheMs, maxLifetimeMs: config.maxStreamLifetimeMs }),
    ];
    // OTLP/HTTP (POST /v1/traces) checks its own token before reading its body (src/otlp/otlp-http.ts).
    const fallback = withOtlpHttp(
      { exportTraces, authenticator, maxRequestBytes: config.maxRequestBytes, log },
      createPlainHttp({ probe, dashboard: createDashboard(config.dashboardDir), metrics: config.metricsListen === undefined ? metrics.registry : undefined }),
    );
    const handler = authenticateBeforeBody({
      authenticator,
      access: SERVICE_ACCESS,
      maxRequestBytes: config.maxRequestBytes,
      unauthenticatedMaxRequestBytes: config.unauthenticatedMaxRequestBytes,
      createHandler: (readMaxBytes, contextValues) => connectNodeAdapter({ routes, readMaxBytes, interceptors, fallback, contextValues }),
    });
    // gRPC from a caller whose token checks out is served by @grpc/grpc-js; everything else,
    // including gRPC without a valid token (answered UNAUTHENTICATED with the small body limit),
    // by connect-node above.
    const grpcStreams = routeGrpcStreams(
      createGrpcJsServer({ services, interceptors, maxRequestBytes: config.maxRequestBytes }),
      authenticator,
      SERVICE_ACCESS,
    );
    const server = createOnePortServer(
      withCors(handler, config.corsOrigins),
      {
        headersTimeoutMs: config.headersTimeoutMs,
        idleTimeoutMs: config.idleTimeoutMs,
        maxConnections: config.maxConnections,
        maxConcurrentStreams: config.maxConcurrentStreams,
      },
      grpcStreams,
    );
    let metricsUrl: string | undefined;
    if (config.metricsListen !== undefined) {
      const metricsServer = await serveMetrics(metrics.registry, config.metricsListen.port, config.metricsListen.host);
      undo.push(() => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
      metricsUrl = urlOf(metricsServer.address() as AddressInfo);
    }
    const address = await server.listen(config.port, config.host);
    return {
      url: urlOf(address),
      metricsUrl,
      port: address.port,
      tokens,
      async stop() {
        stopping = true;
        await server.close(config.shutdownGraceMs);
        await writer.close();
        await undo.run();
      },
    };
  } catch (error) {
    await undo.runQuietly();
    throw error;
  }
}
