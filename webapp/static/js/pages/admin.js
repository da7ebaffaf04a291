// 管理: an ADMIN opens accounts for the offices it administers (refusals by field), and sees
// the units and inspectors of those offices.
import { gql, upload } from "../api.js";
import { roleName, roles, t } from "../i18n.js";
import { clearRefusals, field, h, select, showRefusal, table } from "../ui.js";

const OPEN = "mutation Open($input: OpenAccountInput!) { openAccount(input: $input) { id position } }";

export async function render(ctx) {
  const c = {
    tenantId: select(ctx.offices.map((o) => [o.id, o.name])),
    username: h("input", { autocomplete: "off" }),
    displayName: h("input", {}),
    role: select(roles().map((r) => [r, roleName(r)]), { value: "COUNTY_TEAM" }),
    initialPassword: h("input", { type: "password", autocomplete: "new-password" }),
    informantClearance: h("input", { type: "checkbox" }),
  };
  const words = { tenantId: "office", username: "username", displayName: "displayName", role: "role", initialPassword: "initialPassword", informantClearance: "clearance" };
  const outcome = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "form", "aria-label": t("openAccount") },
    Object.entries(c).map(([k, control]) => field(t(words[k]), control, { name: k })),
    h("button", { class: "primary", type: "submit" }, t("openAccount")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearRefusals(form);
    outcome.replaceChildren();
    const input = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.type === "checkbox" ? v.checked : v.value]));
    try {
      await gql(OPEN, { input });
      outcome.replaceChildren(h("p", { class: "notice", role: "status" }, `${t("saved")}: ${input.username}`));
      form.reset();
    } catch (error) {
      showRefusal(form, error);
    }
  });
  const inspectors = (await gql("{ inspectors(first: 200) { edges { node { id name homeTenantId } } } }")).inspectors.edges.map((e) => e.node);
  const office = (id) => ctx.offices.find((o) => o.id === id)?.name ?? "";
  return h("section", {}, h("h1", {}, t("admin")), h("h2", {}, t("openAccount")), form, outcome,
    h("h2", {}, t("imports")), importForm(ctx),
    h("h2", {}, t("inspectors")),
    table([{ title: t("name"), cell: (r) => r.name }, { title: t("office"), cell: (r) => office(r.homeTenantId) }], inspectors));
}

// Units and inspectors from the office's spreadsheet: all or nothing, each bad row named.
function importForm(ctx) {
  const office = select(ctx.offices.map((o) => [o.id, o.name]));
  const kind = select([["units", t("units")], ["inspectors", t("inspectors")]]);
  const file = h("input", { type: "file", accept: ".xlsx,.csv" });
  const template = h("a", { class: "button", href: "/imports/units/template.xlsx" }, t("template"));
  kind.addEventListener("change", () => { template.href = `/imports/${kind.value}/template.xlsx`; });
  const results = h("div", { class: "field wide", "aria-live": "polite" });
  const form = h("form", { class: "form", "aria-label": t("imports") },
    field(t("office"), office, { name: "tenantId" }), field(t("importKind"), kind, { name: "kind" }),
    field(t("importFile"), file, { name: "file" }),
    h("button", { class: "primary", type: "submit" }, t("importSubmit")), template, results);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearRefusals(form);
    results.replaceChildren();
    const body = new FormData();
    body.append("tenantId", office.value);
    if (file.files[0]) body.append("file", file.files[0]);
    try {
      const report = await upload(`/imports/${kind.value}`, body);
      const counts = Object.entries(report).filter(([, v]) => typeof v === "number");
      results.replaceChildren(h("p", { class: "notice", role: "status" },
        counts.map(([k, v]) => `${k} ${v}`).join(" · ")));
    } catch (error) {
      const errors = error.errors ?? [{ message: String(error) }];
      const problems = errors[0]?.extensions?.problems ?? [];
      showRefusal(form, { errors: errors.map((e) => ({ ...e, extensions: { ...e.extensions, field: undefined } })) });
      results.replaceChildren(table([
        { title: t("row"), cell: (p) => p.row },
        { title: t("column"), cell: (p) => p.column },
        { title: t("reason"), wrap: true, cell: (p) => p.reason },
      ], problems, { rowClass: () => "overdue" }));
    }
  });
  return form;
}
