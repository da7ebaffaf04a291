// 线索详情: the clue as it stands (or stood at the moment the as-of control names), its audit
// timeline with each entry's link in the hash chain checked, and the handling forms (triage,
// transfer, accept, progress, conclude, supervise), each showing a refusal by its field.
import { gql } from "../api.js";
import { label, t, values } from "../i18n.js";
import { clearRefusals, day, field, h, moment, select, showRefusal } from "../ui.js";

const GENESIS = "0".repeat(64);
const CLUE = `query Clue($id: ID!, $asOf: DateTime) { clue(id: $id, asOf: $asOf) {
  id version tenantId unitId roundId source category summary amountInvolved status priority
  proposedRoute handlingBody receivingTenantId transferredOn dueDate supervisionStep disposition
  personsDisciplined headHash personsConcerned { role name }
  history { version type recordedAt occurredOn actor reason hash prevHash } } }`;

function enumSelect(name) {
  return select(values(name).map((v) => [v, label(name, v)]));
}

function actions(ctx) {
  const offices = () => select(ctx.offices.map((o) => [o.id, o.name]));
  return [
    { name: "triage", mutation: "triageClue", input: "TriageClueInput", fields: [
      ["priority", "priority", () => enumSelect("PriorityClass")],
      ["proposedRoute", "proposedRoute", () => h("input", {})]] },
    { name: "transfer", mutation: "transferClue", input: "TransferClueInput", fields: [
      ["handlingBody", "handlingBody", () => enumSelect("HandlingBody")],
      ["receivingTenantId", "receivingTenant", offices],
      ["dueDate", "dueDate", () => h("input", { type: "date" })]] },
    { name: "accept", mutation: "acceptClue", input: "AcceptClueInput", fields: [] },
    { name: "progress", mutation: "reportClueProgress", input: "ReportClueProgressInput", fields: [
      ["progress", "progressText", () => h("input", {})]] },
    { name: "conclude", mutation: "concludeClue", input: "ConcludeClueInput", fields: [
      ["disposition", "disposition", () => enumSelect("Disposition")],
      ["personsDisciplined", "personsDisciplined", () => h("input", { type: "number", min: 0, value: 0 })]] },
    { name: "supervise", mutation: "superviseClue", input: "SuperviseClueInput", fields: [
      ["step", "supervisionStep", () => enumSelect("SupervisionStep")],
      ["note", "note", () => h("input", {})]] },
  ];
}

function actionForm(action, clue, redraw) {
  const controls = action.fields.map(([name, word, make]) => [name, make(), word]);
  const occurred = h("input", { type: "date" });
  const form = h("form", { class: "form", "aria-label": t(action.name) },
    h("strong", {}, t(action.name)),
    controls.map(([name, control, word]) => field(t(word), control, { name })),
    field(`${t(action.name)} · ${t("occurredOn")}`, occurred, { name: "occurredOn" }),
    h("button", { class: "primary", type: "submit" }, t(action.name)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearRefusals(form);
    const input = { clueId: clue.id, expectedVersion: clue.version };
    for (const [name, control] of controls) {
      if (control.value === "") continue;
      input[name] = control.type === "number" ? Number(control.value) : control.value;
    }
    if (occurred.value) input.occurredOn = occurred.value;
    try {
      await gql(`mutation Act($input: ${action.input}!) { ${action.mutation}(input: $input) { id position } }`, { input });
      redraw();
    } catch (error) {
      showRefusal(form, error);
    }
  });
  return form;
}

function timeline(history) {
  return h("ol", { class: "timeline", "aria-label": t("timeline") }, history.map((entry, i) => {
    const linked = entry.prevHash === (i === 0 ? GENESIS : history[i - 1].hash);
    return h("li", {},
      h("div", {}, h("strong", {}, `v${entry.version} ${entry.type}`), " · ", `${t("actor")}: ${entry.actor}`),
      h("div", {}, `${t("recordedAt")}: ${moment(entry.recordedAt)} · ${t("occurredOn")}: ${day(entry.occurredOn)}`),
      entry.reason ? h("div", {}, `${t("reason")}: ${entry.reason}`) : null,
      h("div", { class: linked ? "ok" : "broken" }, `${linked ? "✓" : "✗"} ${t(linked ? "hashOk" : "hashBroken")} · ${entry.hash.slice(0, 12)}…`));
  }));
}

export async function render(ctx, [id, asOf]) {
  const data = await gql(CLUE, { id, asOf: asOf || null });
  const clue = data.clue;
  const office = (tid) => ctx.offices.find((o) => o.id === tid)?.name ?? tid;
  const facts = [
    [t("status"), label("ClueStatus", clue.status)], [t("source"), label("ClueSource", clue.source)],
    [t("category"), clue.category], [t("summary"), clue.summary], [t("amount"), clue.amountInvolved ?? ""],
    [t("priority"), label("PriorityClass", clue.priority)], [t("proposedRoute"), clue.proposedRoute ?? ""],
    [t("handlingBody"), label("HandlingBody", clue.handlingBody)],
    [t("receivingTenant"), clue.receivingTenantId ? office(clue.receivingTenantId) : ""],
    [t("dueDate"), day(clue.dueDate)], [t("supervisionStep"), label("SupervisionStep", clue.supervisionStep)],
    [t("disposition"), label("Disposition", clue.disposition)], [t("version"), clue.version],
  ];
  const when = h("input", { type: "datetime-local", step: 1 });
  if (asOf) when.value = new Date(asOf).toISOString().slice(0, 19);
  const asOfForm = h("form", { class: "filters", "aria-label": t("asOf") },
    field(t("asOf"), when, { name: "asOf" }),
    h("button", { class: "primary", type: "submit" }, t("showAsOf")),
    h("a", { class: "button", href: `#/clue/${id}` }, t("now")));
  asOfForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (when.value) location.hash = `#/clue/${id}/${encodeURIComponent(new Date(when.value).toISOString())}`;
  });
  const redraw = () => window.dispatchEvent(new HashChangeEvent("hashchange"));
  const writer = ["CITY_OFFICE", "COUNTY_TEAM", "ADMIN"].includes(ctx.me.role) && !asOf;
  return h("section", {},
    h("h1", {}, `${t("clue")} · ${clue.summary}`),
    asOfForm,
    asOf ? h("p", { class: "notice", role: "status" }, `${t("asOf")}: ${moment(asOf)}`) : null,
    h("div", { class: "card" }, h("dl", {}, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))),
    writer ? h("div", {}, actions(ctx).map((a) => actionForm(a, clue, redraw))) : null,
    h("h2", {}, t("timeline")), timeline(clue.history));
}
