/**
 * The console's token: from the URL fragment (`#token=...`, as `npm start` prints it; a fragment
 * never reaches a server), else the sign-in form. Kept in sessionStorage, for this tab only.
 */
const TOKEN_KEY = "bridgelog.token";

export function takeToken(): string | undefined {
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromFragment !== null) {
    // Out of the address bar, so it is not bookmarked, shared or kept in history.
    history.replaceState(null, "", location.pathname + location.search);
    if (fromFragment !== "") sessionStorage.setItem(TOKEN_KEY, fromFragment);
  }
  return sessionStorage.getItem(TOKEN_KEY) || undefined;
}

export function keepToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
