import { useQuery } from "@connectrpc/connect-query";
import { type ReactNode, useEffect, useRef } from "react";
import { QueryService, type StoredInterception } from "../../gen/bridgelog/v1/query_service_pb.js";
import { useScope } from "./console-context.js";
import { dateOf, errorTypeName, formatCost, formatCount, formatMs, keySourceName, outcomeName } from "./format.js";
import { durationMs } from "./Interceptions.js";
import { QueryState } from "./QueryState.js";
import { formatTime } from "./time-window.js";
import { navigate } from "./url-state.js";

/** Every stored field of one interception, beside the list; Escape or Close returns to the list. */
export function InterceptionDetail({ id, known }: { id: string; known?: StoredInterception }) {
  const { tenantId } = useScope();
  const fetched = useQuery(QueryService.method.getInterception, { tenantId, id }, { enabled: known === undefined });
  const panel = useRef<HTMLElement>(null);
  const close = () => navigate({ id: "" });
  useEffect(() => {
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && close();
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [id]);
  const row = known ?? fetched.data?.interception;
  return (
    <aside className="detail" aria-labelledby="detail-title" tabIndex={-1} ref={panel}>
      <header>
        <h2 id="detail-title">Interception</h2>
        <button type="button" onClick={close}>
          Close
        </button>
      </header>
      {row !== undefined ? <Fields row={row} /> : <QueryState query={fetched} what="this interception">{() => null}</QueryState>}
    </aside>
  );
}

function Fields({ row }: { row: StoredInterception }) {
  const error = row.error;
  const usage = row.usage;
  const fields: [string, ReactNode][] = [
    ["Outcome", <span className={error ? "failed" : undefined}>{outcomeName(row.outcome)}</span>],
  ];
  if (error !== undefined) {
    fields.push(["Error type", <strong>{errorTypeName(error.type)}</strong>]);
    if (error.providerCode !== "") fields.push(["Provider code", <code>{error.providerCode}</code>]);
    fields.push([
      "Message",
      error.message === "" ? (
        <span className="none">{error.upstream === undefined ? "(the bridge sent none)" : "(none: classified from the upstream response below)"}</span>
      ) : (
        <>
          <pre className="message" tabIndex={0}>{error.message}</pre>
          {error.messageTruncated && <span className="note">Cut to {formatCount(new TextEncoder().encode(error.message).length)} bytes from {formatCount(error.messageBytes)}.</span>}
        </>
      ),
    ]);
    if (error.upstream !== undefined) {
      const upstream = error.upstream;
      fields.push(["Upstream status", upstream.httpStatus === 0 ? "no response" : String(upstream.httpStatus)]);
      if (upstream.errorName !== "") fields.push(["Upstream error name", <code>{upstream.errorName}</code>]);
      if (upstream.code !== "") fields.push(["Upstream code", <code>{upstream.code}</code>]);
      if (upstream.body !== "") fields.push(["Upstream body", <pre className="message" tabIndex={0}>{upstream.body}</pre>]);
    }
  }
  fields.push(
    ["Provider", row.provider],
    ["Model", row.model],
    ["Feature", row.feature || <span className="none">(none)</span>],
    ["Key source", keySourceName(row.keySource)],
    ["Initiator", row.initiatorId || <span className="none">(none)</span>],
    ["Client", row.client || <span className="none">(none)</span>],
    ["Started", formatTime(dateOf(row.startedAt))],
    ["Ended", row.endedAt ? formatTime(dateOf(row.endedAt)) : <span className="none">(not yet)</span>],
    ["Duration", formatMs(durationMs(row))],
    ["Recorded", formatTime(dateOf(row.recordedAt))],
    ["Streaming", row.streaming ? "yes" : "no"],
    [
      "Tokens",
      usage === undefined
        ? "–"
        : `${formatCount(usage.inputTokens)} in, ${formatCount(usage.outputTokens)} out, ${formatCount(usage.cacheReadTokens)} cache read, ${formatCount(usage.cacheWriteTokens)} cache write`,
    ],
    ["Cost", formatCost(row.costMicros)],
    ["Id", <code>{row.id}</code>],
  );
  const metadata = Object.entries(row.metadata).sort(([a], [b]) => a.localeCompare(b));
  const rootId = row.threadRootId ?? row.id;
  return (
    <>
      <dl className="fields">
        {fields.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        <div>
          <dt>Metadata</dt>
          <dd>
            {metadata.length === 0 ? (
              <span className="none">(none)</span>
            ) : (
              <dl className="metadata">
                {metadata.map(([key, value]) => (
                  <div key={key}>
                    <dt>
                      <code>{key}</code>
                    </dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
            )}
          </dd>
        </div>
      </dl>
      <p>
        <a
          href={`?thread=${rootId}`}
          onClick={(event) => {
            event.preventDefault();
            navigate({ thread: rootId });
          }}
        >
          {row.threadRootId === undefined ? "Open its thread" : "Open the thread it belongs to"}
        </a>
      </p>
    </>
  );
}
