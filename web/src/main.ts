/**
 * The bridgelog dashboard: failures over time by type, recent interceptions with filters, and a
 * thread view. Talks to the QueryService of the server that served it, with Connect-web.
 *
 * The token comes from the URL fragment (`#token=...`, as `npm start` prints it; the fragment never
 * reaches a server) or the sign-in form, and is kept in sessionStorage for this tab only.
 */
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { ErrorType, KeySource, Outcome } from "../../gen/bridgelog/v1/interception_pb.js";
import { type InterceptionError, OutcomeFilter, type StoredInterception } from "../../gen/bridgelog/v1/query_service_pb.js";
import { createQueryClient, describeError, type QueryClient } from "./api.js";
import { renderChart, TYPE_COLOURS } from "./chart.js";

const TOKEN_KEY = "bridgelog.token";
const TENANT_KEY = "bridgelog.tenant";
/** Past this, the page says the server is slow; past the deadline, the call is abandoned. */
const SLOW_MS = 2000;
const DEADLINE_MS = 15000;
const PAGE_SIZE = 50;

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const status = $("#status");
let client: QueryClient | undefined;
let nextPageToken = "";

function setStatus(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

/** Runs one call with a deadline, saying so when the server is slow. */
async function call<T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const slow = setTimeout(() => setStatus(`The server is slow to answer (${what})…`), SLOW_MS);
  try {
    return await run(AbortSignal.timeout(DEADLINE_MS));
  } catch (error) {
    const { message, signIn } = describeError(error);
    setStatus(message, true);
    if (signIn) showSignIn(message);
    return undefined;
  } finally {
    clearTimeout(slow);
  }
}

function showSignIn(reason?: string): void {
  sessionStorage.removeItem(TOKEN_KEY);
  client = undefined;
  $("#signin").hidden = false;
  $("#content").hidden = true;
  if (reason !== undefined) $("#signin-reason").textContent = reason;
}

function useToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  client = createQueryClient(token);
  $("#signin").hidden = true;
  $("#content").hidden = false;
  void refresh();
}

function scope() {
  const form = $<HTMLFormElement>("#scope");
  const data = new FormData(form);
  const tenantId = String(data.get("tenant") ?? "").trim();
  localStorage.setItem(TENANT_KEY, tenantId);
  const seconds = Number(data.get("window"));
  const end = new Date();
  return { tenantId, start: new Date(end.getTime() - seconds * 1000), end, seconds };
}

function filters() {
  const data = new FormData($<HTMLFormElement>("#filters"));
  const value = (name: string) => String(data.get(name) ?? "").trim();
  const outcome = { failed: OutcomeFilter.FAILED, succeeded: OutcomeFilter.SUCCEEDED, in_progress: OutcomeFilter.IN_PROGRESS }[value("outcome")];
  const errorType = value("errorType");
  return {
    provider: value("provider"),
    model: value("model"),
    feature: value("feature"),
    initiatorId: value("initiator"),
    keySource: value("keySource") === "byok" ? KeySource.BYOK : value("keySource") === "platform" ? KeySource.PLATFORM : KeySource.UNSPECIFIED,
    outcome: outcome ?? OutcomeFilter.UNSPECIFIED,
    errorTypes: errorType === "" ? [] : [ErrorType[errorType as keyof typeof ErrorType]],
  };
}

async function refresh(): Promise<void> {
  if (client === undefined) return;
  setStatus("Loading…");
  const ok = (await loadSummary()) && (await loadPage(true));
  if (ok) setStatus("");
}

async function loadSummary(): Promise<boolean> {
  const { tenantId, start, end, seconds } = scope();
  const bucketSeconds = Math.max(60, Math.ceil(seconds / 48));
  const summary = await call("summary", (signal) =>
    client!.summarizeErrors(
      { tenantId, startTime: timestampFromDate(start), endTime: timestampFromDate(end), bucketSeconds },
      { signal },
    ),
  );
  if (summary === undefined) return false;
  const totals = summary.totals;
  $("#summary").innerHTML = "";
  for (const [label, value] of [
    ["calls", String(totals?.total ?? 0n)],
    ["failed", String(totals?.failed ?? 0n)],
    ["failure rate", `${((totals?.failureRate ?? 0) * 100).toFixed(1)}%`],
  ] as const) {
    const item = document.createElement("div");
    const strong = document.createElement("strong");
    strong.textContent = value;
    item.append(strong, label);
    $("#summary").append(item);
  }
  const types = renderChart($("#chart"), summary);
  $("#legend").replaceChildren(
    ...types.map((name) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.style.background = TYPE_COLOURS[name] ?? "#525252";
      li.append(swatch, name.toLowerCase());
      return li;
    }),
  );
  return true;
}

async function loadPage(first: boolean): Promise<boolean> {
  const { tenantId, start, end } = scope();
  if (first) nextPageToken = "";
  const page = await call("interceptions", (signal) =>
    client!.listInterceptions(
      {
        tenantId,
        startTime: timestampFromDate(start),
        endTime: timestampFromDate(end),
        ...filters(),
        pageSize: PAGE_SIZE,
        pageToken: nextPageToken,
      },
      { signal },
    ),
  );
  if (page === undefined) return false;
  const body = $<HTMLTableSectionElement>("#interceptions tbody");
  if (first) body.replaceChildren();
  for (const interception of page.interceptions) body.append(row(interception));
  nextPageToken = page.nextPageToken;
  $("#more").hidden = nextPageToken === "";
  const empty = $("#empty");
  empty.hidden = body.children.length > 0;
  empty.textContent = "No interceptions match: nothing was recorded in this window, or the filters exclude everything.";
  return true;
}

function row(interception: StoredInterception): HTMLTableRowElement {
  const tr = document.createElement("tr");
  const failed = interception.outcome === Outcome.FAILED;
  const cells = [
    interception.startedAt ? new Date(Number(interception.startedAt.seconds) * 1000).toLocaleString() : "",
    interception.provider,
    interception.model,
    interception.feature,
    KeySource[interception.keySource].toLowerCase(),
    interception.initiatorId,
    Outcome[interception.outcome].toLowerCase().replace("_", " "),
    interception.error ? describeFailure(interception.error) : "",
  ];
  cells.forEach((text, i) => {
    const td = document.createElement("td");
    td.textContent = text;
    if (i === 7 && failed) td.className = "failed";
    tr.append(td);
  });
  tr.addEventListener("click", () => void showThread(interception));
  return tr;
}

/** "overloaded (overloaded_error): Overloaded": the type, the provider's code, the message. */
function describeFailure(error: InterceptionError): string {
  const code = error.providerCode === "" ? "" : ` (${error.providerCode})`;
  const message = error.message === "" ? "" : `: ${error.message}`;
  return `${ErrorType[error.type].toLowerCase()}${code}${message}`;
}

async function showThread(interception: StoredInterception): Promise<void> {
  const rootId = interception.threadRootId ?? interception.id;
  const thread = await call("thread", (signal) => client!.getThread({ tenantId: interception.tenantId, rootId }, { signal }));
  if (thread === undefined) return;
  $("#thread").hidden = false;
  const errorBox = $("#thread-error");
  if (thread.error) {
    errorBox.className = "error-box";
    errorBox.textContent = `Thread failed: ${describeFailure(thread.error)}`;
  } else {
    errorBox.className = "";
    errorBox.textContent = "The thread's root did not fail.";
  }
  const items = [thread.root, ...thread.descendants].filter((i): i is StoredInterception => i !== undefined);
  $("#thread-items").replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      li.textContent = `${item.provider} ${item.model} (${item.feature || "no feature"}): ${Outcome[item.outcome].toLowerCase()}${
        item.error ? `, ${ErrorType[item.error.type].toLowerCase()}` : ""
      }`;
      return li;
    }),
  );
  $("#thread").scrollIntoView({ behavior: "smooth" });
}

function start(): void {
  const errorTypes = $<HTMLSelectElement>("#filters select[name=errorType]");
  for (const name of Object.keys(ErrorType).filter((k) => Number.isNaN(Number(k)) && k !== "UNSPECIFIED")) {
    errorTypes.append(new Option(name.toLowerCase(), name));
  }
  $<HTMLInputElement>("#scope input[name=tenant]").value = localStorage.getItem(TENANT_KEY) ?? "";
  $("#scope").addEventListener("submit", (event) => {
    event.preventDefault();
    void refresh();
  });
  $("#filters").addEventListener("submit", (event) => {
    event.preventDefault();
    setStatus("Loading…");
    void loadPage(true).then((ok) => ok && setStatus(""));
  });
  $("#more").addEventListener("click", () => void loadPage(false));
  $("#forget-token").addEventListener("click", () => showSignIn());
  $("#token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = String(new FormData(event.target as HTMLFormElement).get("token") ?? "").trim();
    if (token !== "") useToken(token);
  });

  const fromFragment = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromFragment !== null) history.replaceState(null, "", location.pathname + location.search);
  const token = fromFragment ?? sessionStorage.getItem(TOKEN_KEY);
  if (token === null || token === "") showSignIn();
  else useToken(token);
}

start();
