import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { useInfiniteQuery } from "@connectrpc/connect-query";
import { keepPreviousData } from "@tanstack/react-query";
import { memo } from "react";
import { Outcome } from "../../gen/bridgelog/v1/interception_pb.js";
import { OutcomeFilter, QueryService, type StoredInterception } from "../../gen/bridgelog/v1/query_service_pb.js";
import { useScope } from "./console-context.js";
import { dateOf, errorTypeName, formatCount, formatMs, keySourceName, outcomeName } from "./format.js";
import { InterceptionDetail } from "./InterceptionDetail.js";
import { QueryState } from "./QueryState.js";
import { formatListTime, formatTime } from "./time-window.js";
import { hasFilters, navigate } from "./url-state.js";

/** The API's largest page: few round trips to the end of a long window. */
export const PAGE_SIZE = 500;

const OUTCOMES: Record<string, OutcomeFilter> = {
  failed: OutcomeFilter.FAILED,
  succeeded: OutcomeFilter.SUCCEEDED,
  in_progress: OutcomeFilter.IN_PROGRESS,
};

/**
 * The window's interceptions, newest first, a page at a time. The window is part of the query, so
 * every page of one listing is asked for with the window its first page was.
 */
export function Interceptions() {
  const { tenantId, window, filter, state, refetchInterval } = useScope();
  const pages = useInfiniteQuery(
    QueryService.method.listInterceptions,
    {
      tenantId,
      startTime: timestampFromDate(window.start),
      endTime: timestampFromDate(window.end),
      provider: filter.provider,
      model: filter.model,
      feature: filter.feature,
      keySource: filter.keySource,
      initiatorId: filter.initiatorId,
      errorTypes: filter.errorTypes,
      outcome: OUTCOMES[state.outcome] ?? OutcomeFilter.UNSPECIFIED,
      pageSize: PAGE_SIZE,
      pageToken: "",
    },
    {
      pageParamKey: "pageToken",
      getNextPageParam: (page) => page.nextPageToken || undefined,
      refetchInterval,
      placeholderData: keepPreviousData,
    },
  );
  const rows = pages.data?.pages.flatMap((page) => page.interceptions) ?? [];
  const selected = state.id === "" ? undefined : rows.find((row) => row.id === state.id);
  return (
    <div className={`interceptions${state.id !== "" ? " with-detail" : ""}`}>
      <div className="list">
        <h2>Interceptions</h2>
        <p className="hint">
          Started between {formatTime(window.start)} and {formatTime(window.end)}, newest first.
        </p>
        <QueryState query={pages} what="interceptions">
          {() =>
            rows.length === 0 ? (
              <p className="empty" role="status">
                No interceptions started in this window{hasFilters(state, true) ? " that match these filters" : ""}.
              </p>
            ) : (
              <>
                <table className="rows">
                  <caption className="visually-hidden">Interceptions, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Started</th>
                      <th scope="col">Provider</th>
                      <th scope="col">Model</th>
                      <th scope="col">Feature</th>
                      <th scope="col">Key</th>
                      <th scope="col">Initiator</th>
                      <th scope="col">Outcome</th>
                      <th scope="col" className="number">
                        Duration
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <Row key={row.id} row={row} selected={row.id === state.id} />
                    ))}
                  </tbody>
                </table>
                <p className="paging" role="status">
                  {formatCount(rows.length)} shown{pages.hasNextPage ? ", more to load" : ", the end of this window"}.
                </p>
                {pages.hasNextPage && (
                  <button type="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
                    {pages.isFetchingNextPage ? "Loading…" : `Load ${PAGE_SIZE} more`}
                  </button>
                )}
                {pages.isFetchNextPageError && <p role="alert">Could not load the next page; try again.</p>}
              </>
            )
          }
        </QueryState>
      </div>
      {state.id !== "" && <InterceptionDetail id={state.id} known={selected} />}
    </div>
  );
}

export function durationMs(row: StoredInterception): number | undefined {
  const start = dateOf(row.startedAt);
  const end = dateOf(row.endedAt);
  return start === undefined || end === undefined ? undefined : end.getTime() - start.getTime();
}

/** Memoised: loading a page renders its new rows, not every row already shown. */
const Row = memo(function Row({ row, selected }: { row: StoredInterception; selected: boolean }) {
  const open = () => navigate({ id: row.id });
  const failed = row.outcome === Outcome.FAILED;
  return (
    <tr className={selected ? "selected" : undefined} onClick={open}>
      <td>
        <a
          href={`?view=interceptions&id=${row.id}`}
          onClick={(event) => {
            event.preventDefault();
            event.stopPropagation();
            open();
          }}
        >
          {formatListTime(dateOf(row.startedAt))}
          <span className="visually-hidden">: details of this {outcomeName(row.outcome)} call</span>
        </a>
      </td>
      <td>{row.provider}</td>
      <td>{row.model}</td>
      <td>{row.feature}</td>
      <td>{keySourceName(row.keySource)}</td>
      <td>{row.initiatorId}</td>
      <td className={failed ? "failed" : undefined}>
        {failed && row.error ? (
          <>
            <strong>{errorTypeName(row.error.type)}</strong>
            {row.error.providerCode !== "" && ` (${row.error.providerCode})`}
            {row.error.message !== "" && <span className="message">{row.error.message}</span>}
          </>
        ) : (
          outcomeName(row.outcome)
        )}
      </td>
      <td className="number">{formatMs(durationMs(row))}</td>
    </tr>
  );
});
