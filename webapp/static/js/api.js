// The app talks to XunCha only through its GraphQL API (and /session to sign in and out). The
// session cookie is HttpOnly; the CSRF cookie is read here and sent back as a header on writes.
import { lang } from "./i18n.js";

export class ApiError extends Error {
  constructor(errors, status) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
    this.status = status;
  }
  get code() { return this.errors[0]?.extensions?.code; }
  get rule() { return this.errors[0]?.extensions?.rule; }
}

function csrf() {
  const found = document.cookie.split("; ").find((c) => c.startsWith("xuncha_csrf="));
  return found ? decodeURIComponent(found.slice("xuncha_csrf=".length)) : "";
}

// Read your own writes: every write answers with its log position, and every later read asks
// the server to wait (bounded) until the read models have reached the latest of them.
let written = 0;

function remember(data) {
  for (const value of Object.values(data ?? {})) {
    const position = Number(value?.position); // a BigInt may come as text
    if (Number.isSafeInteger(position) && position > written) written = position;
  }
}

function headers() {
  const sent = {
    "content-type": "application/json",
    accept: "application/json",
    "accept-language": lang() === "en" ? "en" : "zh-CN",
    "X-XunCha-CSRF": csrf(),
  };
  if (written) sent["X-XunCha-Min-Position"] = String(written);
  return sent;
}

async function call(method, url, body) {
  const response = await fetch(url, {
    method, headers: headers(), credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const answer = await response.json().catch(() => ({ errors: [{ message: response.statusText }] }));
  if (!response.ok || answer.errors) {
    if (response.status === 401 && url === "/graphql") window.dispatchEvent(new Event("xuncha:signed-out"));
    throw new ApiError(answer.errors ?? [{ message: response.statusText }], response.status);
  }
  return answer;
}

export async function gql(query, variables = {}) {
  const data = (await call("POST", "/graphql", { query, variables })).data;
  remember(data);
  return data;
}

// A file for an import: multipart, with the CSRF header (the browser sets the content type).
export async function upload(url, form) {
  const { "content-type": _, ...sent } = headers();
  const response = await fetch(url, { method: "POST", headers: sent, credentials: "same-origin", body: form });
  const answer = await response.json().catch(() => ({ errors: [{ message: response.statusText }] }));
  if (!response.ok) throw new ApiError(answer.errors ?? [{ message: response.statusText }], response.status);
  remember({ upload: answer });
  if (Array.isArray(answer.rows)) for (const row of answer.rows) remember({ row });
  return answer;
}

export const session = {
  who: () => call("GET", "/session"),
  options: () => call("GET", "/session/options"),
  signIn: (username, password) => call("POST", "/session", { username, password }),
  signOut: () => call("DELETE", "/session"),
  changePassword: (username, currentPassword, newPassword) =>
    call("POST", "/session/password", { username, currentPassword, newPassword }),
};
