// Runs the graphql-http server audits against a live XunCha and prints their results as JSON.
// Every request carries the bearer token from XUNCHA_AUDIT_TOKEN, like any real client's.
const path = require("node:path");
const { serverAudits } = require(
  path.join(process.env.GRAPHQL_HTTP_DIR, "node_modules", "graphql-http"),
);

const token = process.env.XUNCHA_AUDIT_TOKEN;
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

(async () => {
  const audits = serverAudits({ url: process.env.XUNCHA_AUDIT_URL, fetchFn });
  const results = [];
  for (const audit of audits) {
    const result = await audit.fn();
    results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason });
  }
  process.stdout.write(JSON.stringify(results));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
