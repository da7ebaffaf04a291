// 审计: check one office's recorded history link by link and see what is wrong, export it
// (each event with its canonical record and hash) for a third party, and the events recorded
// long after the date on their document (backdated).
import { gql } from "../api.js";
import { t } from "../i18n.js";
import { day, field, h, moment, select, table } from "../ui.js";

const CHECK = "query Check($id: ID!) { officeChains(tenantId: $id) { events streams intact problems { streamId version problem } } }";

function checkForm(ctx) {
  const office = select(ctx.offices.map((o) => [o.id, o.name]));
  const exported = h("a", { class: "button", download: "审计导出.jsonl" }, t("auditExport"));
  const setExport = () => { exported.href = `/app/export/audit.jsonl?tenantId=${office.value}`; };
  office.addEventListener("change", setExport);
  setExport();
  const outcome = h("div", { class: "field wide", "aria-live": "polite" });
  const form = h("form", { class: "form", "aria-label": t("auditCheck") },
    field(t("office"), office, { name: "tenantId" }),
    h("button", { class: "primary", type: "submit" }, t("auditCheck")), exported, outcome);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    outcome.replaceChildren(h("p", { class: "loading" }, "…"));
    try {
      const c = (await gql(CHECK, { id: office.value })).officeChains;
      const verdict = `${t(c.intact ? "chainIntact" : "chainBroken")}：${c.events} ${t("eventsIn")} ${c.streams} ${t("streams")}`;
      outcome.replaceChildren(h("p", { class: c.intact ? "notice" : "notice bad", role: "status" }, verdict),
        c.problems.length ? table([
          { title: t("stream"), cell: (p) => p.streamId },
          { title: t("version"), cell: (p) => p.version },
          { title: t("reason"), wrap: true, cell: (p) => p.problem },
        ], c.problems, { rowClass: () => "overdue" }) : null);
    } catch (error) {
      outcome.replaceChildren(h("p", { class: "notice bad", role: "alert" }, error.message));
    }
  });
  return form;
}

export async function render(ctx) {
  const rows = (await gql("{ backdatedEvents(first: 200) { streamId aggregate version event command occurredOn recordedAt } }")).backdatedEvents;
  return h("section", {}, h("h1", {}, t("audit")),
    h("h2", {}, t("auditCheck")), checkForm(ctx),
    h("h2", {}, t("backdated")),
    table([
      { title: t("event"), cell: (r) => `${r.aggregate} · ${r.event}` },
      { title: t("version"), cell: (r) => r.version },
      { title: t("occurredOn"), cell: (r) => day(r.occurredOn) },
      { title: t("recordedAt"), cell: (r) => moment(r.recordedAt) },
      { title: t("details"), cell: (r) => (r.aggregate === "Clue" ? h("a", { href: `#/clue/${r.streamId}` }, t("clue")) : "") },
    ], rows));
}
