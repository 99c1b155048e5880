import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { useQuery } from "@connectrpc/connect-query";
import { keepPreviousData } from "@tanstack/react-query";
import { useMemo } from "react";
import {
  type Breakdown,
  Dimension,
  type GetOverviewResponse,
  type OverviewTotals,
  QueryService,
} from "../../gen/bridgelog/v1/query_service_pb.js";
import { Chart, type ChartOption } from "./Chart.js";
import { useScope } from "./console-context.js";
import {
  dateOf,
  errorTypeName,
  formatCompact,
  formatCost,
  formatCount,
  formatMs,
  formatPercent,
  TYPE_COLOURS,
} from "./format.js";
import { QueryState } from "./QueryState.js";
import { formatShortTime, formatTime, timeZoneLabel } from "./time-window.js";
import { type ConsoleState, hasFilters, navigate } from "./url-state.js";

const TOP_N = 8;

export function Overview() {
  const { tenantId, window, filter, refetchInterval } = useScope();
  const overview = useQuery(
    QueryService.method.getOverview,
    {
      tenantId,
      startTime: timestampFromDate(window.start),
      endTime: timestampFromDate(window.end),
      bucketSeconds: window.bucketSeconds,
      filter,
      topN: TOP_N,
    },
    { refetchInterval, placeholderData: keepPreviousData },
  );
  return (
    <div className="overview">
      <h2>Overview</h2>
      <QueryState query={overview} what="the overview">
        {() => <OverviewBody data={overview.data!} />}
      </QueryState>
    </div>
  );
}

function OverviewBody({ data }: { data: GetOverviewResponse }) {
  const { window, state } = useScope();
  const totals = data.totals!;
  if (totals.calls === 0n) {
    return (
      <div className="empty" role="status">
        <p>
          No calls ended between {formatTime(window.start)} and {formatTime(window.end)}
          {hasFilters(state, false) ? " that match these filters" : ""}. Choose a longer window, or clear the filters.
        </p>
      </div>
    );
  }
  return (
    <>
      <Kpis current={totals} previous={data.previousTotals} />
      <CallsChart data={data} />
      <div className="chart-pair">
        <LatencyChart data={data} />
        <UsageChart data={data} />
      </div>
      <h3>Breakdowns</h3>
      <div className="breakdowns">
        {data.breakdowns.map((breakdown) => (
          <BreakdownTable key={breakdown.dimension} breakdown={breakdown} total={totals.calls} />
        ))}
      </div>
    </>
  );
}

function tokensOf(t: OverviewTotals | undefined): bigint {
  const u = t?.usage;
  return u === undefined ? 0n : u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens;
}

function Kpis({ current, previous }: { current: OverviewTotals; previous: OverviewTotals | undefined }) {
  const items: { label: string; now: string; before: string; change?: number; worseWhenUp?: boolean }[] = [
    { label: "Calls", now: formatCount(current.calls), before: formatCount(previous?.calls ?? 0n), change: ratio(current.calls, previous?.calls) },
    { label: "Failures", now: formatCount(current.failed), before: formatCount(previous?.failed ?? 0n), change: ratio(current.failed, previous?.failed), worseWhenUp: true },
    {
      label: "Failure rate",
      now: formatPercent(current.failureRate),
      before: formatPercent(previous?.failureRate ?? 0),
    },
    { label: "p50 latency", now: formatMs(current.p50LatencyMs), before: formatMs(previous?.p50LatencyMs), worseWhenUp: true },
    { label: "p95 latency", now: formatMs(current.p95LatencyMs), before: formatMs(previous?.p95LatencyMs), worseWhenUp: true },
    { label: "Tokens", now: formatCompact(tokensOf(current)), before: formatCompact(tokensOf(previous)), change: ratio(tokensOf(current), tokensOf(previous)) },
    { label: "Cost", now: formatCost(current.costMicros), before: formatCost(previous?.costMicros ?? 0n), change: ratio(current.costMicros, previous?.costMicros) },
  ];
  return (
    <dl className="kpis">
      {items.map((item) => (
        <div key={item.label} className="kpi">
          <dt>{item.label}</dt>
          <dd>
            <strong>{item.now}</strong>
            <span className="previous">
              previous window: {item.before}
              {item.change !== undefined && ` (${item.change >= 0 ? "+" : ""}${formatPercent(item.change)})`}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ratio(now: bigint, before: bigint | undefined): number | undefined {
  return before === undefined || before === 0n ? undefined : Number(now - before) / Number(before);
}

const axisName = () => `Time (${timeZoneLabel()})`;
const baseOption = (labels: string[]) => ({
  animation: false,
  grid: { left: 64, right: 64, top: 36, bottom: 56 },
  tooltip: { trigger: "axis" },
  xAxis: {
    type: "category",
    data: labels,
    name: axisName(),
    nameLocation: "middle",
    nameGap: 32,
    axisTick: { alignWithLabel: true },
  },
});

/** Calls per bucket, stacked: those that succeeded, then the failures by type. */
function CallsChart({ data }: { data: GetOverviewResponse }) {
  const { window } = useScope();
  const { option, types, labels } = useMemo(() => {
    const labels = data.buckets.map((b) => formatShortTime(dateOf(b.startTime)!));
    const present = new Map<string, bigint>();
    for (const { errorType, count } of data.totals?.byErrorType ?? []) present.set(errorTypeName(errorType), count);
    const types = [...present.keys()];
    const series = [
      {
        name: "succeeded",
        type: "bar",
        stack: "calls",
        itemStyle: { color: TYPE_COLOURS.succeeded },
        data: data.buckets.map((b) => nonZero(Number((b.totals?.calls ?? 0n) - (b.totals?.failed ?? 0n)))),
      },
      ...types.map((type) => ({
        name: type,
        type: "bar",
        stack: "calls",
        itemStyle: { color: TYPE_COLOURS[type] ?? "#37474f" },
        data: data.buckets.map((b) => nonZero(Number(b.totals?.byErrorType.find((c) => errorTypeName(c.errorType) === type)?.count ?? 0n))),
      })),
    ];
    const option: ChartOption = {
      ...baseOption(labels),
      yAxis: { type: "value", name: "calls", minInterval: 1, splitLine: { show: true } },
      series,
    };
    return { option, types: [...present], labels };
  }, [data]);

  const drill = (seriesName: string | undefined, dataIndex: number) => {
    const start = dateOf(data.buckets[dataIndex]?.startTime);
    if (start === undefined) return;
    const end = new Date(Math.min(start.getTime() + window.bucketSeconds * 1000, window.end.getTime()));
    navigate({
      view: "interceptions",
      range: "custom",
      from: start.toISOString(),
      to: end.toISOString(),
      ...(seriesName === "succeeded" ? { outcome: "succeeded", types: [] } : seriesName ? { types: [seriesName], outcome: "failed" } : {}),
      id: "",
    });
  };
  return (
    <section className="panel" aria-labelledby="calls-title">
      <h3 id="calls-title">Calls and failures by error type</h3>
      <p className="hint">Click a bar to list its calls; click a type below to filter every view by it.</p>
      <Chart
        label={`Calls per ${bucketLabel(window.bucketSeconds)}, stacked by outcome and error type, ${labels[0] ?? ""} to ${labels.at(-1) ?? ""}`}
        option={option}
        height={280}
        onClick={(event) => drill(event.seriesName, event.dataIndex)}
      />
      <ul className="legend" aria-label="Error types in this window">
        {types.map(([type, count]) => (
          <li key={type}>
            <button type="button" onClick={() => navigate({ types: [type] })} aria-label={`Filter by ${type} ${formatCount(count)} failures`}>
              <span className="swatch" style={{ background: TYPE_COLOURS[type] ?? "#37474f" }} aria-hidden="true" />
              {type} <span className="count">{formatCount(count)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** No bar at all for an empty segment, so every bar drawn can be pointed at and clicked. */
function nonZero(n: number): number | null {
  return n === 0 ? null : n;
}

function bucketLabel(seconds: number): string {
  if (seconds % 86400 === 0) return seconds === 86400 ? "day" : `${seconds / 86400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? "hour" : `${seconds / 3600} hours`;
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} s`;
}

function LatencyChart({ data }: { data: GetOverviewResponse }) {
  const option = useMemo<ChartOption>(() => {
    const labels = data.buckets.map((b) => formatShortTime(dateOf(b.startTime)!));
    const line = (name: string, pick: (t: OverviewTotals | undefined) => number | undefined, color: string) => ({
      name,
      type: "line",
      connectNulls: false,
      showSymbol: false,
      itemStyle: { color },
      data: data.buckets.map((b) => pick(b.totals) ?? null),
    });
    return {
      ...baseOption(labels),
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: (v: number | null) => (v === null ? "–" : formatMs(v)) },
      yAxis: { type: "value", name: "latency (ms)", axisLabel: { formatter: (v: number) => formatMs(v) } },
      series: [line("p50", (t) => t?.p50LatencyMs, "#1565c0"), line("p95", (t) => t?.p95LatencyMs, "#c62828")],
    };
  }, [data]);
  return (
    <section className="panel" aria-labelledby="latency-title">
      <h3 id="latency-title">Latency</h3>
      <Chart label="Median and 95th percentile latency per bucket" option={option} />
    </section>
  );
}

function UsageChart({ data }: { data: GetOverviewResponse }) {
  const option = useMemo<ChartOption>(() => {
    const labels = data.buckets.map((b) => formatShortTime(dateOf(b.startTime)!));
    const tokens = (name: string, pick: (t: OverviewTotals) => bigint, color: string) => ({
      name,
      type: "bar",
      stack: "tokens",
      itemStyle: { color },
      data: data.buckets.map((b) => Number(b.totals === undefined ? 0n : pick(b.totals))),
    });
    return {
      ...baseOption(labels),
      legend: { top: 0 },
      yAxis: [
        { type: "value", name: "tokens", axisLabel: { formatter: (v: number) => formatCompact(v) } },
        { type: "value", name: "cost (USD)", position: "right", splitLine: { show: false }, axisLabel: { formatter: (v: number) => formatCost(v * 1e6) } },
      ],
      series: [
        tokens("input", (t) => t.usage?.inputTokens ?? 0n, "#5c6bc0"),
        tokens("output", (t) => t.usage?.outputTokens ?? 0n, "#26a69a"),
        tokens("cache", (t) => (t.usage?.cacheReadTokens ?? 0n) + (t.usage?.cacheWriteTokens ?? 0n), "#b0bec5"),
        {
          name: "cost",
          type: "line",
          yAxisIndex: 1,
          showSymbol: false,
          itemStyle: { color: "#8e2430" },
          tooltip: { valueFormatter: (v: number) => formatCost(v * 1e6) },
          data: data.buckets.map((b) => Number(b.totals?.costMicros ?? 0n) / 1e6),
        },
      ],
    };
  }, [data]);
  return (
    <section className="panel" aria-labelledby="usage-title">
      <h3 id="usage-title">Tokens and cost</h3>
      <Chart label="Tokens per bucket by kind, and cost in US dollars" option={option} />
    </section>
  );
}

const DIMENSIONS: Record<number, { title: string; key: keyof ConsoleState }> = {
  [Dimension.PROVIDER]: { title: "Provider", key: "provider" },
  [Dimension.MODEL]: { title: "Model", key: "model" },
  [Dimension.FEATURE]: { title: "Feature", key: "feature" },
  [Dimension.KEY_SOURCE]: { title: "Key source", key: "key" },
  [Dimension.INITIATOR]: { title: "Initiator", key: "initiator" },
};

function BreakdownTable({ breakdown, total }: { breakdown: Breakdown; total: bigint }) {
  const dimension = DIMENSIONS[breakdown.dimension];
  if (dimension === undefined) return null;
  return (
    <section className="panel breakdown" aria-labelledby={`breakdown-${breakdown.dimension}`}>
      <h4 id={`breakdown-${breakdown.dimension}`}>By {dimension.title.toLowerCase()}</h4>
      <table>
        <thead>
          <tr>
            <th scope="col">{dimension.title}</th>
            <th scope="col" className="number">
              Calls
            </th>
            <th scope="col" className="number">
              Share
            </th>
            <th scope="col" className="number">
              Failed
            </th>
            <th scope="col" className="number">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {breakdown.rows.map((row) => (
            <tr key={row.value}>
              <th scope="row">
                {row.value === "" || (dimension.key === "key" && row.value === "unspecified") ? (
                  <span className="none">{row.value === "" ? "(none)" : row.value}</span>
                ) : (
                  <button type="button" className="link" onClick={() => navigate({ [dimension.key]: row.value })} aria-label={`Filter by ${dimension.title.toLowerCase()} ${row.value}`}>
                    {row.value}
                  </button>
                )}
              </th>
              <td className="number">{formatCount(row.calls)}</td>
              <td className="number share">
                <span className="bar" aria-hidden="true">
                  <span style={{ width: `${Math.round(row.share * 100)}%` }} />
                </span>
                {formatPercent(row.share)}
              </td>
              <td className="number">
                {formatCount(row.failed)}
                {row.calls > 0n && row.failed > 0n && <span className="rate"> ({formatPercent(Number(row.failed) / Number(row.calls))})</span>}
              </td>
              <td className="number">{formatCost(row.costMicros)}</td>
            </tr>
          ))}
          {breakdown.otherCalls > 0n && (
            <tr className="other">
              <th scope="row">Others</th>
              <td className="number">{formatCount(breakdown.otherCalls)}</td>
              <td className="number">{formatPercent(Number(breakdown.otherCalls) / Number(total))}</td>
              <td />
              <td />
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
