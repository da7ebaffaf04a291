// The app shell: who is signed in, the navigation their role allows, the language switch and a
// hash router over the pages. Each page reads and writes only through the GraphQL API.
import { gql, session } from "./api.js";
import { lang, roleName, setLanguage, t, useLabels } from "./i18n.js";
import { h } from "./ui.js";
import * as signin from "./pages/signin.js";
import * as overview from "./pages/overview.js";
import * as rounds from "./pages/rounds.js";
import * as ledger from "./pages/ledger.js";
import * as register from "./pages/register.js";
import * as clue from "./pages/clue.js";
import * as rectification from "./pages/rectification.js";
import * as audit from "./pages/audit.js";
import * as admin from "./pages/admin.js";

const WRITERS = ["CITY_OFFICE", "COUNTY_TEAM", "ADMIN"];
const PAGES = {
  overview: { page: overview },
  rounds: { page: rounds },
  ledger: { page: ledger },
  register: { page: register, roles: WRITERS },
  clue: { page: clue, hidden: true },
  rectification: { page: rectification },
  audit: { page: audit, roles: ["AUDITOR", "CITY_OFFICE", "ADMIN"] },
  admin: { page: admin, roles: ["ADMIN"] },
};
const ctx = { me: null, offices: [] };
const main = document.getElementById("main");
let showing = 0; // only the latest navigation may fill the page

function allowed(name) {
  const roles = PAGES[name]?.roles;
  return !roles || roles.includes(ctx.me?.role);
}

function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  return { name: PAGES[name] ? name : "overview", params: rest.map(decodeURIComponent) };
}

function drawShell() {
  document.documentElement.lang = lang() === "en" ? "en" : "zh-CN";
  document.getElementById("lang").textContent = lang() === "en" ? "中文" : "English";
  document.getElementById("lang").setAttribute("aria-label", lang() === "en" ? "切换到中文" : "Switch to English");
  const out = document.getElementById("signout");
  out.textContent = t("signOut");
  out.hidden = !ctx.me;
  document.getElementById("who").textContent = ctx.me ? `${ctx.me.displayName} · ${roleName(ctx.me.role)}` : "";
  const { name } = route();
  const nav = document.getElementById("nav");
  nav.setAttribute("aria-label", lang() === "en" ? "Main" : "主导航");
  nav.replaceChildren(...(ctx.me ? Object.entries(PAGES)
    .filter(([n, p]) => !p.hidden && allowed(n))
    .map(([n]) => h("a", { href: `#/${n}`, "aria-current": n === name ? "page" : undefined }, t(n))) : []));
}

async function show() {
  drawShell();
  if (!ctx.me) {
    showing += 1;
    // A sign-in under way keeps what was typed; a change of address does not redraw it.
    if (!main.querySelector("section.signin")) main.replaceChildren(signin.render(signedIn));
    return;
  }
  const { name, params } = route();
  if (!allowed(name)) {
    main.replaceChildren(h("p", { class: "notice bad", role: "alert" }, t("notAllowed")));
    return;
  }
  document.title = `${t(name)} · 巡察 XunCha`;
  const mine = ++showing;
  main.replaceChildren(h("p", { class: "loading" }, "…"));
  try {
    const node = await PAGES[name].page.render(ctx, params);
    if (mine === showing) main.replaceChildren(node);
  } catch (error) {
    if (mine === showing) main.replaceChildren(h("p", { class: "notice bad", role: "alert" }, error.message));
  }
}

async function loadContext() {
  const data = await gql("{ tenants { id code name level parentId } enumLabels { enum values { value label labelEn } } }");
  ctx.offices = data.tenants;
  useLabels(data.enumLabels);
}

async function signedIn(me) {
  ctx.me = me;
  await loadContext();
  await show();
}

document.getElementById("lang").addEventListener("click", () => {
  setLanguage(lang() === "en" ? "zh" : "en");
  show();
});
document.getElementById("signout").addEventListener("click", async () => {
  await session.signOut().catch(() => {});
  ctx.me = null;
  location.hash = "#/overview";
  show();
});
window.addEventListener("hashchange", show);
window.addEventListener("xuncha:signed-out", () => { ctx.me = null; show(); });

(async () => {
  setLanguage(lang());
  try {
    ctx.me = await session.who();
    await loadContext();
  } catch {
    ctx.me = null;
  }
  show();
})();
