import type { ErrorType } from "../interception/error-type.js";
import { effectiveErrorName } from "./error-name.js";
import type { FailureEvidence } from "./failure-evidence.js";
import { isWordChar, PhraseMatcher, PlacedPhrase, type SearchableText } from "./searchable-text.js";

/** A transport-level code (Node, undici, node-fetch) and what it means. */
export interface TransportCode {
  readonly code: string;
  readonly errorType: ErrorType;
}

const CODES: readonly TransportCode[] = [
  // Timeouts ranked first: a message naming both a timeout and a reset is a timeout.
  { code: "ETIMEDOUT", errorType: "timeout" },
  { code: "ESOCKETTIMEDOUT", errorType: "timeout" },
  { code: "UND_ERR_CONNECT_TIMEOUT", errorType: "timeout" },
  { code: "UND_ERR_HEADERS_TIMEOUT", errorType: "timeout" },
  { code: "UND_ERR_BODY_TIMEOUT", errorType: "timeout" },
  { code: "ABORT_ERR", errorType: "canceled" },
  { code: "UND_ERR_ABORTED", errorType: "canceled" },
  { code: "ECONNRESET", errorType: "network_error" },
  { code: "ECONNREFUSED", errorType: "network_error" },
  { code: "ECONNABORTED", errorType: "network_error" },
  { code: "ENOTFOUND", errorType: "network_error" },
  { code: "EAI_AGAIN", errorType: "network_error" },
  { code: "EPIPE", errorType: "network_error" },
  { code: "EHOSTUNREACH", errorType: "network_error" },
  { code: "ENETUNREACH", errorType: "network_error" },
  { code: "ENETDOWN", errorType: "network_error" },
  { code: "UND_ERR_SOCKET", errorType: "network_error" },
  { code: "UND_ERR_CLOSED", errorType: "network_error" },
  { code: "ERR_STREAM_PREMATURE_CLOSE", errorType: "network_error" },
  // Bun's fetch codes, as the AI SDK lists them (packages/provider-utils/src/handle-fetch-error.ts).
  { code: "ConnectionRefused", errorType: "network_error" },
  { code: "ConnectionClosed", errorType: "network_error" },
  { code: "FailedToOpenSocket", errorType: "network_error" },
];

const byLowerCode: ReadonlyMap<string, TransportCode> = new Map(CODES.map((c) => [c.code.toLowerCase(), c]));
const codesInText = new PhraseMatcher<TransportCode>(CODES.map((c) => [c.code.toLowerCase(), c]));

/** What a Node/undici transport code means, whatever its case. */
export function transportCodeMeaning(code: string): TransportCode | undefined {
  return byLowerCode.get(code.toLowerCase());
}

/** The transport code found in text as a word, as in `connect ECONNREFUSED 127.0.0.1:11434`. */
export function findTransportCodeInText(text: SearchableText): TransportCode | undefined {
  return codesInText.find(text);
}

// SDK and runtime messages, lower-cased, ranked timeout → canceled → network: "The operation was
// aborted due to timeout" is a timeout even though it also says "aborted".
const PHRASES = new PhraseMatcher<ErrorType>([
  ["aborted due to timeout", "timeout"],
  // Retry helpers that gave up at their deadline: google-api-core's RetryError and google-gax.
  ["exceeded while calling target function", "timeout"],
  ["retry total timeout exceeded", "timeout"],
  ["request timed out", "timeout"], // openai-node / anthropic-sdk APIConnectionTimeoutError
  ["request timeout", "timeout"], // a 408 reason phrase in a client's words ("unhandled status from server: 408 Request Timeout")
  ["timed out", "timeout"],
  ["timeout error", "timeout"], // undici ConnectTimeoutError, HeadersTimeoutError
  // botocore's ReadTimeoutError and ConnectTimeoutError: "Read timeout on endpoint URL: \"https://bedrock-runtime…\"".
  ["timeout on endpoint url", "timeout"],
  // A stream that stopped sending mid-response until the client's watchdog gave up (Claude Code's
  // "Stream idle timeout - partial response received"; Envoy's stream_idle_timeout).
  ["idle timeout", "timeout"],
  ["deadline exceeded", "timeout"],
  // Clients in other languages name their own timeout: Java's java.net.SocketTimeoutException
  // (OkHttp, openai-java), Go's http.Client ("i/o timeout (Client.Timeout exceeded while awaiting
  // headers)"), .NET's "canceled due to the configured HttpClient.Timeout of 100 seconds elapsing".
  ["sockettimeoutexception", "timeout"],
  // Rust's std::io::ErrorKind::TimedOut in a Debug print, as reqwest errors are logged or unwrapped:
  // "reqwest::Error { kind: Request, url: …, source: TimedOut }".
  ["timedout", "timeout"],
  ["client.timeout", "timeout"],
  ["httpclient.timeout", "timeout"],
  // Dify's plugin daemon gave up waiting for the model plugin ("[models] Error: MAX_REQUEST_TIMEOUT").
  ["max_request_timeout", "timeout"],
  // An agent's watchdog on a stream that stopped sending, in its own words: "OpenCode Go stream
  // stalled for 2m 0s without new data." (opencode-copilot-chat); the idle timeout above, worded.
  ["stream stalled", "timeout"],
  ["request was aborted", "canceled"], // APIUserAbortError
  ["operation was aborted", "canceled"], // DOMException AbortError
  ["user aborted", "canceled"],
  ["socket hang up", "network_error"],
  // httpx/httpcore's RemoteProtocolError when the server closed the connection before answering,
  // often printed without the class name.
  ["server disconnected without sending", "network_error"],
  ["connection error", "network_error"], // APIConnectionError: "Connection error."
  // openai-python 0.x's APIConnectionError, "Error communicating with OpenAI: …", which LangChain's
  // and LlamaIndex's retry logs quote after their own words ("… as it raised APIConnectionError: …").
  ["error communicating with", "network_error"],
  // Python's http.client.RemoteDisconnected under requests: "Remote end closed connection without response".
  ["remote end closed connection", "network_error"],
  // libcurl's CURLE_GOT_NOTHING, the connection closed before any response byte: "Server returned
  // nothing (no headers, no data)" as Triton's HTTP client reports it ("HTTP client failed: …"), and
  // curl's "(52) Empty reply from server".
  ["server returned nothing", "network_error"],
  ["empty reply from server", "network_error"],
  // Cloudflare Workers' fetch when the connection to the origin broke; gateways that run on Workers
  // (Portkey) pass it on, even as an HTTP 200 body ({"html-message": "Network connection lost."}).
  ["network connection lost", "network_error"],
  ["fetch failed", "network_error"],
  ["other side closed", "network_error"],
  ["premature close", "network_error"],
  ["socket connection was closed unexpectedly", "network_error"], // Bun
  // The connection ended before the answer did: Claude Code's "Connection closed mid-response.
  // The response above may be incomplete.", and its later "Connection lost mid-response.".
  ["connection closed", "network_error"],
  // A WebSocket transport (the Responses API's, the Realtime API's) closed under the request: Codex's
  // "stream disconnected before completion: websocket closed by server before response.completed",
  // pi-ai's `WebSocketCloseError` "WebSocket closed 1006" (an abnormal close, no close frame).
  ["websocket closed", "network_error"],
  ["connection lost", "network_error"],
  // httpx/h11 when a stream is cut mid-response: "peer closed connection without sending complete
  // message body (incomplete chunked read)".
  ["peer closed connection", "network_error"],
  ["incomplete chunked read", "network_error"],
  // OkHttp (Java clients) when the connection closes before a whole response arrived.
  ["unexpected end of stream", "network_error"],
  // Go clients (Ollama's CLI among them) when a response is cut: io.ErrUnexpectedEOF.
  ["unexpected eof", "network_error"],
  // Rust's reqwest when the body broke off while it was being read (its Kind::Decode), under Codex,
  // Zed and Goose: "stream disconnected before completion: Transport error: Error while reading the
  // server response: error decoding response body".
  ["error decoding response body", "network_error"],
  // Envoy / Istio in front of a provider: "upstream connect error or disconnect/reset before
  // headers. reset reason: connection termination".
  ["reset before headers", "network_error"],
  ["connection reset", "network_error"],
  ["connection refused", "network_error"],
  // EHOSTUNREACH as the OS words it (strerror): no route to the provider's address.
  ["no route to host", "network_error"],
  // DNS failures as the OS words them (EAI_AGAIN, EAI_NONAME), and urllib3's NewConnectionError
  // under requests (DashScope's and botocore's Python SDKs, Dify's plugins), which says the
  // connection never came up whatever the cause after it ("Failed to establish a new connection:
  // [Errno 24] Too many open files").
  ["temporary failure in name resolution", "network_error"],
  ["name or service not known", "network_error"],
  // The same from the JVM: java.net.UnknownHostException ("Unable to resolve host \"api.openai.com\":
  // No address associated with hostname", EAI_NODATA's wording, on Android and OkHttp).
  ["unknownhostexception", "network_error"],
  ["no address associated with hostname", "network_error"],
  // java.net.ConnectException, the connection never came up ("Failed to connect to
  // api.openai.com/199.59.150.12:443", OkHttp under LangChain4j and openai-java); its "Connection
  // timed out: connect" is a timeout by the phrases above, listed first.
  ["connectexception", "network_error"],
  ["failed to establish a new connection", "network_error"],
  // OpenSSL (under curl and PHP clients) when the socket failed mid-TLS, usually a reset (errno 104):
  // "OpenSSL SSL_read: SSL_ERROR_SYSCALL, errno 104".
  ["ssl_error_syscall", "network_error"],
  ["cannot connect to api", "network_error"], // the AI SDK's APICallError for fetch failures
  ["cannot connect to host", "network_error"], // aiohttp's ClientConnectorError (LiteLLM, MetaGPT)
  ["unable to connect to", "network_error"],
  ["all connection attempts failed", "network_error"], // httpx.ConnectError
  ["actively refused", "network_error"], // Windows: "the target machine actively refused it"
  // OpenSSL through Python's ssl: the TLS handshake failed, so no request was sent.
  ["certificate verify failed", "network_error"],
  // The same check as Node and OpenSSL word it when the chain ends in a root the client does not
  // trust (a corporate proxy's, or GigaChat's Russian CA): "self-signed certificate in certificate
  // chain" (Node's SELF_SIGNED_CERT_IN_CHAIN, n8n's GigaChat node), "self signed certificate in
  // certificate chain" (older OpenSSL).
  ["certificate in certificate chain", "network_error"],
  // A TLS handshake cut off ("stream disconnected before completion: tls handshake eof", Codex).
  ["tls handshake", "network_error"],
  // httpx's and requests' ReadTimeout printed as `f"{type(e).__name__}: {e}"` after an app's own
  // words; httpx's carries no text, so the class and its colon are all there is ("请求 ChatGPT
  // 服务器时出现问题，请稍后再试 错误信息: ReadTimeout:", a QQ bot).
  ["readtimeout:", "timeout"],
  ["network error", "network_error"],
  // Rust's reqwest, under Codex, Zed, Goose and TensorZero, when the request never got an answer:
  // "error sending request for url (https://…)"; with "operation timed out" after it, the timeout
  // phrases above win.
  ["error sending request", "network_error"],
  // A stream that ended before its last event, in Codex's words and those of proxies in front of it
  // (CLIProxyAPI): "stream closed before response.completed".
  ["stream closed before", "network_error"],
  // The same in agent runtimes' words for a stream cut before its last event: "Stream ended without
  // completing a message" (a Bedrock ConverseStream cut at ten minutes), "provider stream ended
  // without a terminal event".
  ["stream ended without", "network_error"],
  // google-genai (JS, under Gemini CLI and LobeHub) when the stream ends inside a JSON chunk: "Error:
  // Incomplete JSON segment at the end", sporadic under load (googleapis/js-genai#1342).
  ["incomplete json segment", "network_error"],
  // fasthttp's ErrConnectionClosed, which Go gateways built on it (Bifrost) log for a pooled
  // connection the upstream had already closed: "the server closed connection before returning the
  // first response byte."
  ["closed connection before returning", "network_error"],
  // Cursor's "Connection failed. … Network disconnected [unknown]"; its "Connection failed." alone
  // heads every failure, even a serialization bug, so only the cause after it counts.
  ["network disconnected", "network_error"],
  // Chromium's network error codes, as Electron fetchers (GitHub Copilot's) print them: "Error Code:
  // net::ERR_FAILED". The phrase's last word runs on, so it covers the whole family.
  ["net::err_", "network_error"],
  // Firefox's TypeError for a fetch that got no response (offline, refused, blocked as mixed content
  // or by CORS), as browser apps show it: {"name": "TypeError", "message": "NetworkError when
  // attempting to fetch resource."} (LobeChat, NextChat).
  ["networkerror when attempting to fetch", "network_error"],
]);

// Chromium's TypeError for the same, whose whole message is "Failed to fetch" (NextChat shows it as
// {"error": true, "message": "Failed to fetch"}). An app's own "Failed to fetch xAI model data: …"
// names what it fetched and says nothing of the transport, so only the phrase with no word after it
// counts.
const BROWSER_FETCH = new PlacedPhrase("failed to fetch", (lower, _start, end) => nothingFollows(lower, end));

// WebKit's TypeError for the same (Safari, and every browser on iOS), whose whole message is "Load
// failed": "[GoogleGenerativeAI Error]: Error fetching from https://…: Load failed" (ChatGemini).
// Only as a message of its own or after a label's colon ("TypeError: Load failed"), with nothing
// after it: "Model load failed: …" is a model server's own sentence.
const WEBKIT_FETCH = new PlacedPhrase(
  "load failed",
  (lower, start, end) =>
    (start === 0 || (start >= 2 && lower.charCodeAt(start - 2) === 0x3a /* : */ && lower.charCodeAt(start - 1) === 0x20)) &&
    nothingFollows(lower, end),
);

/**
 * Whether no word follows `end`: the end, a quote, a full stop, a line break or the break between
 * the text's parts; a space or a letter means more words follow.
 */
function nothingFollows(lower: string, end: number): boolean {
  const next = lower.charCodeAt(end);
  return Number.isNaN(next) || !(next === 0x20 || isWordChar(next));
}

const TERMINATED = "terminated";
const LABELLED_TERMINATED = ": terminated";

function undiciTerminated(message: string): boolean {
  if (message === TERMINATED) return true;
  // A label such as "TypeError", "Error" or "API Error" before it; a longer head is a sentence.
  return message.length <= 40 && message.endsWith(LABELLED_TERMINATED);
}

const NAMES: ReadonlyMap<string, ErrorType> = new Map<string, ErrorType>([
  ["timeouterror", "timeout"],
  ["apiconnectiontimeouterror", "timeout"],
  ["apitimeouterror", "timeout"],
  ["connecttimeouterror", "timeout"],
  ["readtimeouterror", "timeout"], // botocore, urllib3
  ["readtimeout", "timeout"], // httpx.ReadTimeout, requests.exceptions.ReadTimeout
  ["headerstimeouterror", "timeout"],
  ["bodytimeouterror", "timeout"],
  ["aborterror", "canceled"],
  ["apiuseraborterror", "canceled"],
  ["apiconnectionerror", "network_error"],
  ["fetcherror", "network_error"],
  ["socketerror", "network_error"],
  ["connectionerror", "network_error"],
  ["connecterror", "network_error"], // httpx.ConnectError
  ["remoteprotocolerror", "network_error"], // httpx / h11
]);

// gRPC UNAVAILABLE covers both "the service is busy" and "we never reached it".
const CONNECTION_FAILURE = new PhraseMatcher<true>([
  ["no connection established", true],
  ["connection dropped", true],
  ["econnrefused", true],
  ["connect failed", true],
  ["failed to connect", true],
  ["name resolution", true],
]);

/**
 * `network_error` for a gRPC UNAVAILABLE whose text says the connection never came up; undefined
 * otherwise, and the code table then reads UNAVAILABLE as a busy service (`overloaded`).
 */
export function unreachableService(evidence: FailureEvidence): ErrorType | undefined {
  return evidence.rpcStatus === "UNAVAILABLE" && CONNECTION_FAILURE.find(evidence.text) === true
    ? "network_error"
    : undefined;
}

/**
 * A failure with no usable HTTP response: the connection could not be made or broke (including a
 * stream cut after HTTP 200), the request timed out, or it was aborted. Looks at the bridge's `code`,
 * transport codes in the text, runtime and SDK messages, then the exception name.
 */
export function classifyTransportFailure(evidence: FailureEvidence): ErrorType | undefined {
  const byCode = evidence.code.length > 0 ? transportCodeMeaning(evidence.code) : undefined;
  if (byCode !== undefined) return byCode.errorType;
  // A transport code an app or relay wrote into the error it passed on, as JSON (Claude Code behind
  // copilot-api printed only `{"code":"ERR_STREAM_PREMATURE_CLOSE"}`): the codes are a handful.
  for (const code of evidence.codes) {
    const meaning = transportCodeMeaning(code);
    if (meaning !== undefined) return meaning.errorType;
  }
  const inText = findTransportCodeInText(evidence.text);
  if (inText !== undefined) return inText.errorType;
  const byPhrase = PHRASES.find(evidence.text);
  if (byPhrase !== undefined) return byPhrase;
  if (BROWSER_FETCH.in(evidence.text) || WEBKIT_FETCH.in(evidence.text)) return "network_error";
  // undici's "TypeError: terminated": the body stream was cut after the response began. Only as the
  // whole message, or after a short label a wrapper printed before it (Claude Code's "API Error:
  // terminated"); "terminated" inside a sentence is someone else's word.
  if (undiciTerminated(evidence.message)) return "network_error";
  const errorName = effectiveErrorName(evidence);
  return errorName.length > 0 ? NAMES.get(errorName.toLowerCase()) : undefined;
}
