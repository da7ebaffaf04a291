// 线索登记: a county team's (or office's) registration of a clue found in the field; the
// informant part is shown only to those cleared to see informants. A refusal is shown next to
// the field it concerns.
import { gql, upload } from "../api.js";
import { label, t, values } from "../i18n.js";
import { clearRefusals, field, h, select, showRefusal, table } from "../ui.js";

const REGISTER = `mutation Register($input: RegisterClueInput!) { registerClue(input: $input) { id position } }`;

export async function unitsOf(offices) {
  const found = await Promise.all(offices.map((o) =>
    gql("query Units($id: ID!) { units(tenantId: $id, first: 500) { edges { node { id name tenantId unitType } } } }", { id: o.id })
      .then((d) => d.units.edges.map((e) => e.node)).catch(() => [])));
  return found.flat();
}

export async function render(ctx) {
  const [units, rounds] = await Promise.all([
    unitsOf(ctx.offices),
    gql("{ rounds(first: 100) { edges { node { id title } } } }").then((d) => d.rounds.edges.map((e) => e.node)),
  ]);
  const own = ctx.offices.filter((o) => o.id === ctx.me.tenantId);
  const c = {
    tenantId: select((own.length ? own : ctx.offices).map((o) => [o.id, o.name])),
    unitId: select(units.map((u) => [u.id, u.name]), { blank: "—" }),
    roundId: select(rounds.map((r) => [r.id, r.title]), { blank: t("none") }),
    source: select(values("ClueSource").map((v) => [v, label("ClueSource", v)])),
    category: h("input", {}),
    summary: h("textarea", { rows: 3 }),
    amountInvolved: h("input", { inputmode: "decimal" }),
    personRole: h("input", {}),
    personName: h("input", {}),
    occurredOn: h("input", { type: "date" }),
  };
  const parts = [
    field(t("office"), c.tenantId, { name: "tenantId" }),
    field(t("unit"), c.unitId, { name: "unitId" }),
    field(t("round"), c.roundId, { name: "roundId" }),
    field(t("source"), c.source, { name: "source" }),
    field(t("category"), c.category, { name: "category" }),
    field(t("amount"), c.amountInvolved, { name: "amountInvolved" }),
    field(t("occurredOn"), c.occurredOn, { name: "occurredOn" }),
    field(t("summary"), c.summary, { name: "summary", wide: true }),
    field(t("personRole"), c.personRole, { name: "role" }),
    field(t("personName"), c.personName, { name: "name" }),
  ];
  if (ctx.me.informantClearance) {
    c.informantName = h("input", {});
    c.informantContact = h("input", {});
    parts.push(field(t("informantName"), c.informantName, { name: "informant" }),
      field(t("informantContact"), c.informantContact, { name: "contact" }));
  }
  const outcome = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "form", "aria-label": t("register") }, parts,
    h("button", { class: "primary", type: "submit" }, t("submit")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearRefusals(form);
    outcome.replaceChildren();
    const input = {
      tenantId: c.tenantId.value, unitId: c.unitId.value, source: c.source.value,
      category: c.category.value, summary: c.summary.value,
    };
    if (c.roundId.value) input.roundId = c.roundId.value;
    if (c.amountInvolved.value) input.amountInvolved = c.amountInvolved.value;
    if (c.occurredOn.value) input.occurredOn = c.occurredOn.value;
    if (c.personRole.value || c.personName.value) input.personsConcerned = [{ role: c.personRole.value, name: c.personName.value }];
    if (c.informantName?.value) input.informant = { name: c.informantName.value, contact: c.informantContact.value || null };
    try {
      const done = (await gql(REGISTER, { input })).registerClue;
      outcome.replaceChildren(h("p", { class: "notice", role: "status" }, `${t("registered")}: `,
        h("a", { href: `#/clue/${done.id}` }, c.summary.value)));
      form.reset();
    } catch (error) {
      showRefusal(form, error);
    }
  });
  return h("section", {}, h("h1", {}, t("register")), form, outcome, bulk(ctx, own));
}

// 批量登记: the team's filled-in template, one clue a row through the batch submission.
function bulk(ctx, own) {
  const office = select((own.length ? own : ctx.offices).map((o) => [o.id, o.name]));
  const file = h("input", { type: "file", accept: ".xlsx,.csv" });
  const results = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "form", "aria-label": t("bulk") },
    field(t("office"), office, { name: "tenantId" }),
    field(t("bulkFile"), file, { name: "file" }),
    h("button", { class: "primary", type: "submit" }, t("bulkSubmit")),
    h("a", { class: "button", href: "/app/import/clues/template.xlsx", download: "线索登记模板.xlsx" }, t("template")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearRefusals(form);
    const body = new FormData();
    body.append("tenantId", office.value);
    if (file.files[0]) body.append("file", file.files[0]);
    try {
      const done = await upload("/app/import/clues", body);
      results.replaceChildren(table([
        { title: t("row"), cell: (r) => r.row },
        { title: t("outcome"), cell: (r) => (r.status === "ACCEPTED" ? t("registered") : t("refused")) },
        { title: t("reason"), wrap: true, cell: (r) => r.error?.message ?? "" },
      ], done.rows, { rowClass: (r) => (r.status === "ACCEPTED" ? undefined : "overdue") }));
    } catch (error) {
      showRefusal(form, error);
    }
  });
  return h("section", {}, h("h2", {}, t("bulk")), form, results);
}
