import type { SummarizeErrorsResponse } from "../../gen/bridgelog/v1/query_service_pb.js";
import { ErrorType } from "../../gen/bridgelog/v1/interception_pb.js";

/** One colour per error type, stable across renders. */
export const TYPE_COLOURS: Record<string, string> = {
  BAD_REQUEST: "#8c6bb1",
  UNAUTHORIZED: "#d7301f",
  PERMISSION_DENIED: "#ef6548",
  NOT_FOUND: "#6a51a3",
  RATE_LIMITED: "#fdae6b",
  QUOTA_EXHAUSTED: "#b30000",
  OVERLOADED: "#fd8d3c",
  SERVER_ERROR: "#3182bd",
  TIMEOUT: "#6baed6",
  NETWORK_ERROR: "#9ecae1",
  CANCELED: "#969696",
  UNKNOWN: "#525252",
};

const SVG = "http://www.w3.org/2000/svg";

/** Failures per bucket, stacked by error type, as an SVG bar chart. Returns the types shown. */
export function renderChart(container: HTMLElement, summary: SummarizeErrorsResponse): string[] {
  const width = 1000;
  const height = 200;
  const buckets = summary.buckets;
  const max = Math.max(1, ...buckets.map((b) => Number(b.counts?.failed ?? 0n)));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  const slot = width / Math.max(1, buckets.length);
  const shown = new Set<string>();
  buckets.forEach((bucket, i) => {
    let y = height;
    for (const { errorType, count } of bucket.counts?.byErrorType ?? []) {
      const name = ErrorType[errorType] ?? "UNKNOWN";
      const h = (Number(count) / max) * (height - 10);
      const rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("x", String(i * slot + 1));
      rect.setAttribute("width", String(Math.max(1, slot - 2)));
      rect.setAttribute("y", String(y - h));
      rect.setAttribute("height", String(h));
      rect.setAttribute("fill", TYPE_COLOURS[name] ?? "#525252");
      rect.setAttribute("data-error-type", name.toLowerCase());
      const title = document.createElementNS(SVG, "title");
      title.textContent = `${name.toLowerCase()}: ${count}`;
      rect.append(title);
      svg.append(rect);
      y -= h;
      shown.add(name);
    }
  });
  container.replaceChildren(svg);
  return [...shown];
}
