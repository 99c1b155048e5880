/**
 * What the console shows lives in the address bar: the view, the tenant, the window and the
 * filters, so a view can be shared as a link and Back returns to the one before. React reads it
 * through useSyncExternalStore; changes are pushed as history entries.
 */
import { useSyncExternalStore } from "react";
import type { RangeName } from "./time-window.js";

export type View = "overview" | "interceptions" | "keys";

export interface ConsoleState {
  view: View;
  tenant: string;
  range: RangeName;
  /** Custom window bounds, ISO instants. */
  from: string;
  to: string;
  provider: string;
  model: string;
  feature: string;
  /** "platform", "byok" or "". */
  key: string;
  initiator: string;
  /** Error type names ("rate_limited"), comma-separated in the URL. */
  types: string[];
  /** "failed", "succeeded", "in_progress" or "": the interceptions list only. */
  outcome: string;
  /** The interception whose details are open. */
  id: string;
  /** The thread being shown, by its root's id. */
  thread: string;
  /** Keys view: only keys that have not recovered. */
  broken: boolean;
}

const VIEWS: View[] = ["overview", "interceptions", "keys"];
const RANGES: RangeName[] = ["1h", "24h", "7d", "30d", "custom"];
const TEXT_KEYS = ["tenant", "from", "to", "provider", "model", "feature", "key", "initiator", "outcome", "id", "thread"] as const;

export function parseState(search: string): ConsoleState {
  const params = new URLSearchParams(search);
  const get = (name: string) => params.get(name)?.trim() ?? "";
  const view = get("view") as View;
  const range = get("range") as RangeName;
  const state = {
    view: VIEWS.includes(view) ? view : "overview",
    range: RANGES.includes(range) ? range : "24h",
    types: get("types") === "" ? [] : get("types").split(",").filter(Boolean),
    broken: get("broken") === "1",
  } as ConsoleState;
  for (const key of TEXT_KEYS) state[key] = get(key);
  return state;
}

export function formatState(state: ConsoleState): string {
  const params = new URLSearchParams();
  if (state.view !== "overview") params.set("view", state.view);
  if (state.tenant !== "") params.set("tenant", state.tenant);
  if (state.range !== "24h") params.set("range", state.range);
  for (const key of TEXT_KEYS) if (key !== "tenant" && state[key] !== "") params.set(key, state[key]);
  if (state.types.length > 0) params.set("types", state.types.join(","));
  if (state.broken) params.set("broken", "1");
  const text = params.toString();
  return text === "" ? location.pathname : `?${text}`;
}

const listeners = new Set<() => void>();
addEventListener("popstate", () => listeners.forEach((listener) => listener()));
let cachedSearch: string | undefined;
let cachedState: ConsoleState | undefined;

function snapshot(): ConsoleState {
  if (cachedSearch !== location.search) {
    cachedSearch = location.search;
    cachedState = parseState(location.search);
  }
  return cachedState!;
}

export function useConsoleState(): ConsoleState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot,
  );
}

/** Changes part of the state as a new history entry (or in place, for corrections). */
export function navigate(change: Partial<ConsoleState>, options: { replace?: boolean } = {}): void {
  const next = formatState({ ...snapshot(), ...change });
  if (options.replace) history.replaceState(null, "", next);
  else history.pushState(null, "", next);
  listeners.forEach((listener) => listener());
}

/** The filter fields, the part every view applies. */
export const FILTER_KEYS = ["provider", "model", "feature", "key", "initiator", "types", "outcome"] as const;

/** Whether any filter is applied; the outcome counts only where it applies (the interceptions list). */
export function hasFilters(state: ConsoleState, withOutcome: boolean): boolean {
  const texts = [state.provider, state.model, state.feature, state.key, state.initiator, withOutcome ? state.outcome : ""];
  return texts.some((value) => value !== "") || state.types.length > 0;
}
