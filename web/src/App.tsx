import { TransportProvider, useQuery } from "@connectrpc/connect-query";

import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { KeySource } from "../../gen/bridgelog/v1/interception_pb.js";
import { QueryService } from "../../gen/bridgelog/v1/query_service_pb.js";
import { createTransport, describeError } from "./api.js";
import { type ConsoleScope, ScopeContext, useScope } from "./console-context.js";
import { FilterBar } from "./FilterBar.js";
import { errorTypeFromName, formatCount } from "./format.js";
import { Interceptions } from "./Interceptions.js";
import { Keys } from "./Keys.js";
import { Overview } from "./Overview.js";
import { Thread } from "./Thread.js";
import { forgetToken, keepToken, takeToken } from "./token.js";
import { PRESETS, type RangeName, timeZoneLabel, toLocalInput, windowOf } from "./time-window.js";
import { navigate, useConsoleState, type View } from "./url-state.js";

const REFRESH_MS = 30_000;

export function App() {
  const [token, setToken] = useState(takeToken);
  const [reason, setReason] = useState<string>();
  const queryClient = useQueryClient();
  const transport = useMemo(() => (token === undefined ? undefined : createTransport(token)), [token]);
  const signOut = () => {
    forgetToken();
    queryClient.clear();
    setReason("Signed out. Paste a token to sign in again.");
    setToken(undefined);
  };
  if (token === undefined || transport === undefined) {
    return (
      <SignIn
        reason={reason}
        onToken={(t) => {
          keepToken(t);
          setToken(t);
        }}
      />
    );
  }
  return (
    <TransportProvider transport={transport}>
      <Console signOut={signOut} />
    </TransportProvider>
  );
}

function SignIn({ reason, onToken }: { reason?: string; onToken: (token: string) => void }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get("token") ?? "").trim();
    if (token !== "") onToken(token);
  };
  return (
    <main className="signin">
      <h1>bridgelog console</h1>
      {reason !== undefined && <p role="alert">{reason}</p>}
      <p>
        Paste a token with the <code>read</code> scope. <code>npm start</code> prints a link that signs in; an operator creates
        one with <code>bridgelog token create --scope read</code> (add <code>--tenant &lt;id&gt;</code> for one tenant only).
      </p>
      <form onSubmit={submit}>
        <label>
          Token <input name="token" placeholder="blg_…" autoComplete="off" size={60} required />
        </label>{" "}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}

function Console({ signOut }: { signOut: () => void }) {
  const state = useConsoleState();
  const [paused, setPaused] = useState(false);
  const [now, setNow] = useState(() => new Date());
  // The window is recomputed as time passes; a preset's window changes only at its boundary.
  useEffect(() => {
    if (paused) return;
    const timer = setInterval(() => setNow(new Date()), REFRESH_MS);
    return () => clearInterval(timer);
  }, [paused]);
  const window = useMemo(() => windowOf(state.range, now, state.from, state.to), [state.range, state.from, state.to, now]);
  const stableWindow = useStable(window, (a, b) => a.start.getTime() === b.start.getTime() && a.end.getTime() === b.end.getTime());

  // The tenants this token can see, busiest first. With a tenant-bound token: its own, if it has data.
  const tenants = useQuery(
    QueryService.method.listTenants,
    { pageSize: 500 },
    { refetchInterval: paused ? false : REFRESH_MS * 10, placeholderData: keepPreviousData },
  );
  const tenantId = state.tenant !== "" ? state.tenant : (tenants.data?.tenants[0]?.tenantId ?? "");

  const filter = useMemo(
    () => ({
      provider: state.provider,
      model: state.model,
      feature: state.feature,
      keySource: state.key === "byok" ? KeySource.BYOK : state.key === "platform" ? KeySource.PLATFORM : KeySource.UNSPECIFIED,
      initiatorId: state.initiator,
      errorTypes: state.types.map(errorTypeFromName).filter((t) => t !== undefined),
    }),
    [state.provider, state.model, state.feature, state.key, state.initiator, state.types],
  );
  const scope: ConsoleScope = { state, tenantId, window: stableWindow, filter, refetchInterval: paused ? false : REFRESH_MS, signOut };

  return (
    <ScopeContext.Provider value={scope}>
      <header className="top">
        <h1>bridgelog</h1>
        <TenantPicker tenants={tenants.data?.tenants ?? []} current={tenantId} />
        <WindowPicker />
        <LiveControl paused={paused} onToggle={() => setPaused(!paused)} />
        <button type="button" className="quiet" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav aria-label="Views">
        <ul>
          {(
            [
              ["overview", "Overview"],
              ["interceptions", "Interceptions"],
              ["keys", "Keys and notifications"],
            ] as [View, string][]
          ).map(([view, label]) => (
            <li key={view}>
              <a
                href={`?view=${view}`}
                aria-current={state.view === view && state.thread === "" ? "page" : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate({ view, thread: "", id: "" });
                }}
              >
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="content">
        {tenants.error !== null && tenantId === "" ? (
          <div className="problem" role="alert">
            <p>Could not list tenants. {describeError(tenants.error).message}</p>
            {describeError(tenants.error).signIn && (
              <button type="button" onClick={signOut}>
                Sign in with another token
              </button>
            )}
          </div>
        ) : tenants.isPending && state.tenant === "" ? (
          <p className="loading" role="status">
            Loading tenants…
          </p>
        ) : tenantId === "" && tenants.data?.tenants.length === 0 && state.tenant === "" ? (
          <NoData />
        ) : (
          <>
            {state.view !== "keys" && state.thread === "" && <FilterBar />}
            {state.thread !== "" ? (
              <Thread rootId={state.thread} />
            ) : state.view === "interceptions" ? (
              <Interceptions />
            ) : state.view === "keys" ? (
              <Keys />
            ) : (
              <Overview />
            )}
          </>
        )}
      </main>
    </ScopeContext.Provider>
  );
}

/** The same object while `same` says nothing changed, so query keys stay put. */
function useStable<T>(value: T, same: (a: T, b: T) => boolean): T {
  const [kept, setKept] = useState(value);
  if (kept !== value && !same(kept, value)) {
    setKept(value);
    return value;
  }
  return kept;
}

function NoData() {
  return (
    <section className="empty">
      <h2>Nothing recorded yet</h2>
      <p>
        No tenant has recorded a call in the last 30 days. Point a bridge at this server (see <code>docs/recording.md</code>);
        its calls appear here as they are recorded.
      </p>
    </section>
  );
}

function TenantPicker({ tenants, current }: { tenants: { tenantId: string; calls: bigint }[]; current: string }) {
  const known = tenants.some((t) => t.tenantId === current);
  if (tenants.length <= 1 && (current === "" || known)) {
    return <p className="tenant">Tenant: {current === "" ? "this token's" : <strong>{current}</strong>}</p>;
  }
  return (
    <label className="tenant">
      Tenant{" "}
      <select value={current} onChange={(event) => navigate({ tenant: event.target.value, id: "", thread: "" })}>
        {!known && current !== "" && <option value={current}>{current}</option>}
        {tenants.map((t) => (
          <option key={t.tenantId} value={t.tenantId}>
            {t.tenantId} ({formatCount(t.calls)} calls)
          </option>
        ))}
      </select>
    </label>
  );
}

function WindowPicker() {
  const { state, window } = useScope();
  const choose = (range: RangeName) => {
    if (range === "custom") navigate({ range, from: window.start.toISOString(), to: window.end.toISOString() });
    else navigate({ range, from: "", to: "" });
  };
  const setBound = (which: "from" | "to", value: string) => {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) navigate({ range: "custom", [which]: date.toISOString() }, { replace: true });
  };
  return (
    <div className="window">
      <label>
        Window{" "}
        <select value={state.range} onChange={(event) => choose(event.target.value as RangeName)}>
          {Object.entries(PRESETS).map(([name, preset]) => (
            <option key={name} value={name}>
              {preset.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {state.range === "custom" && (
        <>
          <label>
            From <input type="datetime-local" value={toLocalInput(window.start)} onChange={(e) => setBound("from", e.target.value)} />
          </label>
          <label>
            To <input type="datetime-local" value={toLocalInput(window.end)} onChange={(e) => setBound("to", e.target.value)} />
          </label>
        </>
      )}
      <span className="zone">Times in {timeZoneLabel()}</span>
    </div>
  );
}

/** Pause or resume the refresh, and when the data was last brought up to date. */
function LiveControl({ paused, onToggle }: { paused: boolean; onToggle: () => void }) {
  const queryClient = useQueryClient();
  const [updated, setUpdated] = useState<Date>();
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.type === "updated" && event.action.type === "success") setUpdated(new Date());
      }),
    [queryClient],
  );
  return (
    <div className="live">
      <button type="button" onClick={onToggle} aria-pressed={paused}>
        {paused ? "Resume refresh" : "Pause refresh"}
      </button>
      <span role="status" id="updated">
        {paused ? "Paused. " : "Refreshes every 30 s. "}
        {updated !== undefined && `Updated ${updated.toLocaleTimeString()}`}
      </span>
    </div>
  );
}

