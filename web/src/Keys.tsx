import { useInfiniteQuery } from "@connectrpc/connect-query";
import { keepPreviousData } from "@tanstack/react-query";
import { type FormEvent, useId } from "react";
import {
  DeliveryOutcome,
  type KeyNotification,
  type KeyState,
  NotificationStatus,
  QueryService,
} from "../../gen/bridgelog/v1/query_service_pb.js";
import { useScope } from "./console-context.js";
import { dateOf, errorTypeName, formatCount } from "./format.js";
import { QueryState } from "./QueryState.js";
import { formatTime } from "./time-window.js";
import { navigate } from "./url-state.js";

/**
 * Users' own (BYOK) keys: which are broken, which recovered, and what each user was told. A key
 * failure is one the notifier's policy names; its events and every delivery attempt are listed.
 */
export function Keys() {
  const { tenantId, state, refetchInterval } = useScope();
  const id = useId();
  const pages = useInfiniteQuery(
    QueryService.method.listKeyStates,
    { tenantId, initiatorId: state.initiator, provider: state.provider, brokenOnly: state.broken, pageSize: 50, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (page) => page.nextPageToken || undefined, refetchInterval, placeholderData: keepPreviousData },
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    navigate({
      initiator: String(data.get("initiator") ?? "").trim(),
      provider: String(data.get("provider") ?? "").trim().toLowerCase(),
      broken: data.get("broken") === "on",
    });
  };
  const keys = pages.data?.pages.flatMap((page) => page.keyStates) ?? [];
  return (
    <section className="keys" aria-labelledby="keys-title">
      <h2 id="keys-title">Users' keys and notifications</h2>
      <form className="filters" onSubmit={submit} key={`${state.initiator}|${state.provider}|${state.broken}`}>
        <label htmlFor={`${id}-initiator`}>
          Initiator <input id={`${id}-initiator`} name="initiator" defaultValue={state.initiator} placeholder="any" autoComplete="off" />
        </label>
        <label htmlFor={`${id}-provider`}>
          Provider <input id={`${id}-provider`} name="provider" defaultValue={state.provider} placeholder="any" autoComplete="off" />
        </label>
        <label className="check">
          <input type="checkbox" name="broken" defaultChecked={state.broken} /> Broken keys only
        </label>
        <button type="submit">Apply</button>
      </form>
      <QueryState query={pages} what="users' keys">
        {() =>
          keys.length === 0 ? (
            <p className="empty" role="status">
              {state.broken ? "No broken keys: every key that failed has worked since." : "No user's own key has failed in a way they can fix."}
            </p>
          ) : (
            <>
              <table className="rows key-states">
                <caption className="visually-hidden">Users' own keys, the most recent failure first</caption>
                <thead>
                  <tr>
                    <th scope="col">Initiator</th>
                    <th scope="col">Provider</th>
                    <th scope="col">State</th>
                    <th scope="col">Last failure</th>
                    <th scope="col" className="number">
                      Failures
                    </th>
                    <th scope="col" className="number">
                      Devices
                    </th>
                    <th scope="col">Notifications</th>
                  </tr>
                </thead>
                <tbody>
                  {keys.map((key) => (
                    <KeyRow key={`${key.initiatorId}\u0000${key.provider}`} state={key} />
                  ))}
                </tbody>
              </table>
              {pages.hasNextPage && (
                <button type="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
                  {pages.isFetchingNextPage ? "Loading…" : "Load more"}
                </button>
              )}
            </>
          )
        }
      </QueryState>
    </section>
  );
}

function KeyRow({ state }: { state: KeyState }) {
  const recovered = dateOf(state.recoveredAt);
  return (
    <tr>
      <td>{state.initiatorId}</td>
      <td>{state.provider}</td>
      <td>
        {recovered === undefined ? (
          <span className="badge broken">broken</span>
        ) : (
          <>
            <span className="badge recovered">recovered</span> <span className="when">{formatTime(recovered)}</span>
          </>
        )}
      </td>
      <td>
        <strong>{errorTypeName(state.lastErrorType)}</strong>{" "}
        <a
          href={`?view=interceptions&id=${state.lastFailedInterceptionId}`}
          onClick={(event) => {
            event.preventDefault();
            navigate({ view: "interceptions", id: state.lastFailedInterceptionId });
          }}
        >
          {formatTime(dateOf(state.lastFailedAt))}
        </a>
      </td>
      <td className="number">{formatCount(state.failures)}</td>
      <td className="number">{state.deviceCount}</td>
      <td>
        {state.notifications.length === 0 ? (
          <span className="none">none</span>
        ) : (
          <details>
            <summary>
              {state.notifications.length} event{state.notifications.length === 1 ? "" : "s"}, last {statusName(state.notifications[0]!.status)}
            </summary>
            <ol className="events">
              {state.notifications.map((event) => (
                <Event key={event.interceptionId} event={event} />
              ))}
            </ol>
          </details>
        )}
      </td>
    </tr>
  );
}

function statusName(status: NotificationStatus): string {
  return (NotificationStatus[status] ?? "unspecified").toLowerCase();
}

function Event({ event }: { event: KeyNotification }) {
  return (
    <li>
      <span className={`badge ${statusName(event.status)}`}>{statusName(event.status)}</span> {errorTypeName(event.errorType)} at{" "}
      {formatTime(dateOf(event.createdAt))}, {event.attempts} attempt{event.attempts === 1 ? "" : "s"}
      {event.lastError !== "" && <span className="message">last error: {event.lastError}</span>}
      {event.deliveries.length > 0 && (
        <ul className="deliveries">
          {event.deliveries.map((delivery) => (
            <li key={delivery.attempt + ":" + String(dateOf(delivery.recordedAt)?.getTime())}>
              attempt {delivery.attempt}: {(DeliveryOutcome[delivery.outcome] ?? "unspecified").toLowerCase()}, {delivery.devicesReached} device
              {delivery.devicesReached === 1 ? "" : "s"} reached
              {delivery.devicesRemoved > 0 && `, ${delivery.devicesRemoved} removed`}
              {delivery.error !== "" && ` (${delivery.error})`} at {formatTime(dateOf(delivery.recordedAt))}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
