import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { ErrorType, KeySource, Outcome } from "../../gen/bridgelog/v1/interception_pb.js";

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const usd = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumFractionDigits: 4 });

export const formatCount = (n: bigint | number) => integer.format(n);
export const formatCompact = (n: bigint | number) => compact.format(n);
export const formatPercent = (ratio: number) => percent.format(ratio);
/** Costs are stored in millionths of a US dollar. */
export const formatCost = (micros: bigint | number) => usd.format(Number(micros) / 1e6);

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function dateOf(timestamp: Timestamp | undefined): Date | undefined {
  return timestamp === undefined ? undefined : timestampDate(timestamp);
}

/** The stored name of an enum value: "rate_limited", "byok", "in_progress". */
export function errorTypeName(type: ErrorType): string {
  return (ErrorType[type] ?? "unknown").toLowerCase();
}
export function keySourceName(source: KeySource): string {
  return (KeySource[source] ?? "unspecified").toLowerCase();
}
export function outcomeName(outcome: Outcome): string {
  return (Outcome[outcome] ?? "unspecified").toLowerCase().replace("_", " ");
}

/** Every error type a filter can name, in taxonomy order. */
export const ERROR_TYPES: ErrorType[] = Object.values(ErrorType).filter(
  (v): v is ErrorType => typeof v === "number" && v !== ErrorType.UNSPECIFIED,
);

export function errorTypeFromName(name: string): ErrorType | undefined {
  const value = ErrorType[name.toUpperCase() as keyof typeof ErrorType];
  return typeof value === "number" && value !== ErrorType.UNSPECIFIED ? value : undefined;
}

/**
 * A colour per error type, chosen to be told apart (and to keep 3:1 contrast on white); successes
 * are a quiet grey-green so failures stand out.
 */
export const TYPE_COLOURS: Record<string, string> = {
  succeeded: "#8fb8a0",
  bad_request: "#b07c00",
  unauthorized: "#c62828",
  permission_denied: "#ad1457",
  not_found: "#6a1b9a",
  rate_limited: "#e65100",
  quota_exhausted: "#8e2430",
  overloaded: "#1565c0",
  server_error: "#4527a0",
  timeout: "#00838f",
  network_error: "#2e7d32",
  canceled: "#5d6b75",
  unknown: "#37474f",
};
