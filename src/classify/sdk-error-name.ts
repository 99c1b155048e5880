/**
 * SDK error classes that only restate an HTTP status (openai-node, anthropic-sdk, cohere, LiteLLM).
 * They stand in for the status when a bridge passes the error name without the status; they are no
 * better than the status, since `RateLimitError` also wraps OpenAI's `insufficient_quota`.
 */
const STATUS_BY_NAME: ReadonlyMap<string, number> = new Map([
  ["badrequesterror", 400],
  ["authenticationerror", 401],
  ["unauthorizederror", 401],
  ["paymentrequirederror", 402],
  ["permissiondeniederror", 403],
  ["forbiddenerror", 403],
  ["notfounderror", 404],
  ["conflicterror", 409],
  ["unprocessableentityerror", 422],
  ["ratelimiterror", 429],
  ["toomanyrequestserror", 429],
  ["internalservererror", 500],
  ["serviceunavailableerror", 503],
  ["gatewaytimeouterror", 504],
  ["overloadederror", 529],
]);

/** The HTTP status an SDK error class name stands for, if it stands for one. */
export function statusForSdkErrorName(errorName: string): number | undefined {
  if (errorName.length === 0) return undefined;
  return STATUS_BY_NAME.get(errorName.toLowerCase());
}
