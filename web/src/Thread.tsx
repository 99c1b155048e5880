import { useQuery } from "@connectrpc/connect-query";
import { type GetThreadResponse, QueryService, type StoredInterception } from "../../gen/bridgelog/v1/query_service_pb.js";
import { useScope } from "./console-context.js";
import { dateOf, errorTypeName, formatMs, outcomeName } from "./format.js";
import { durationMs } from "./Interceptions.js";
import { QueryState } from "./QueryState.js";
import { formatTime } from "./time-window.js";
import { navigate } from "./url-state.js";

/** A thread as a tree: each interception under its parent, the root's error at the top. */
export function Thread({ rootId }: { rootId: string }) {
  const { tenantId, state } = useScope();
  const thread = useQuery(QueryService.method.getThread, { tenantId, rootId });
  return (
    <section className="thread" aria-labelledby="thread-title">
      <p>
        <a
          href="?view=interceptions"
          onClick={(event) => {
            event.preventDefault();
            // Back to where the thread was opened from, the clicked row still selected.
            if (history.length > 1) history.back();
            else navigate({ thread: "" });
          }}
        >
          ← Back to {state.id !== "" ? "the interception" : "the list"}
        </a>
      </p>
      <h2 id="thread-title">Thread</h2>
      <QueryState query={thread} what="the thread">
        {() => <ThreadTree data={thread.data!} highlight={state.id} />}
      </QueryState>
    </section>
  );
}

function ThreadTree({ data, highlight }: { data: GetThreadResponse; highlight: string }) {
  const root = data.root!;
  const children = new Map<string, StoredInterception[]>();
  const ids = new Set([root.id, ...data.descendants.map((d) => d.id)]);
  for (const item of data.descendants) {
    // A child whose parent is not in the thread (not recorded, or cut by the limit) hangs off the root.
    const parent = item.threadParentId !== undefined && ids.has(item.threadParentId) ? item.threadParentId : root.id;
    children.set(parent, [...(children.get(parent) ?? []), item]);
  }
  return (
    <>
      {data.error ? (
        <p className="problem thread-error" id="thread-error">
          Thread failed: <strong>{errorTypeName(data.error.type)}</strong>
          {data.error.providerCode !== "" && ` (${data.error.providerCode})`}
          {data.error.message !== "" && `: ${data.error.message}`}
        </p>
      ) : (
        <p className="thread-ok" id="thread-error">
          The thread's root did not fail.
        </p>
      )}
      <ul className="tree">
        <Node item={root} childrenOf={children} highlight={highlight} />
      </ul>
    </>
  );
}

function Node({ item, childrenOf, highlight }: { item: StoredInterception; childrenOf: Map<string, StoredInterception[]>; highlight: string }) {
  const kids = childrenOf.get(item.id) ?? [];
  return (
    <li className={item.id === highlight ? "selected" : undefined} data-id={item.id}>
      <div className="node">
        <span className="when">{formatTime(dateOf(item.startedAt))}</span>{" "}
        <strong>
          {item.provider} {item.model}
        </strong>
        {item.feature !== "" && <span className="feature"> · {item.feature}</span>} · {formatMs(durationMs(item))} ·{" "}
        <span className={item.error ? "failed" : "outcome"}>{item.error ? errorTypeName(item.error.type) : outcomeName(item.outcome)}</span>
        {item.error && item.error.message !== "" && <span className="message">{item.error.message}</span>}{" "}
        <a
          href={`?view=interceptions&id=${item.id}`}
          onClick={(event) => {
            event.preventDefault();
            navigate({ thread: "", view: "interceptions", id: item.id });
          }}
        >
          details<span className="visually-hidden"> of {item.provider} {item.model} started {formatTime(dateOf(item.startedAt))}</span>
        </a>
      </div>
      {kids.length > 0 && (
        <ul>
          {kids.map((kid) => (
            <Node key={kid.id} item={kid} childrenOf={childrenOf} highlight={highlight} />
          ))}
        </ul>
      )}
    </li>
  );
}
