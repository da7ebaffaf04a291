// 巡察轮次: every round the caller reads, filtered by linkage, kind, phase and year; a round
// with a city parent shows it beside the county round; the team with its recusals.
import { gql } from "../api.js";
import { label, t, values } from "../i18n.js";
import { day, field, h, select, table } from "../ui.js";

const QUERY = `query Rounds($linkage: Linkage, $kind: RoundKind, $phase: RoundPhase, $from: Date, $to: Date) {
  rounds(linkage: $linkage, kind: $kind, phase: $phase, periodFrom: $from, periodTo: $to, first: 200) {
    totalCount edges { node { id title linkage kind phase periodStart periodEnd parentId inspectingCountyId owningCountyId organiser { name }
      team { inspectorId name role } recusals { inspectorId reason } progress { cluesRegistered cluesOpen cluesOverdue } } } } }`;

export async function render(ctx) {
  const office = (id) => ctx.offices.find((o) => o.id === id)?.name ?? "";
  const c = {
    linkage: select(values("Linkage").map((v) => [v, label("Linkage", v)]), { blank: t("any") }),
    kind: select(values("RoundKind").map((v) => [v, label("RoundKind", v)]), { blank: t("any") }),
    phase: select(values("RoundPhase").map((v) => [v, label("RoundPhase", v)]), { blank: t("any") }),
    year: h("input", { type: "number", min: 2000, max: 2100 }),
  };
  const results = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "filters", role: "search", "aria-label": t("rounds") },
    Object.entries(c).map(([k, control]) => field(t(k), control, { name: k })),
    h("button", { class: "primary", type: "submit" }, t("apply")));
  async function load() {
    const v = {};
    for (const k of ["linkage", "kind", "phase"]) if (c[k].value) v[k] = c[k].value;
    if (c.year.value) Object.assign(v, { from: `${c.year.value}-01-01`, to: `${c.year.value}-12-31` });
    const rows = (await gql(QUERY, v)).rounds.edges.map((e) => e.node);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    results.replaceChildren(table([
      { title: t("title"), wrap: true, cell: (r) => r.title },
      { title: t("office"), cell: (r) => r.organiser?.name ?? "" },
      { title: t("linkage"), cell: (r) => label("Linkage", r.linkage) },
      { title: t("kind"), cell: (r) => label("RoundKind", r.kind) },
      { title: t("phase"), cell: (r) => label("RoundPhase", r.phase) },
      { title: t("period"), cell: (r) => `${day(r.periodStart)}—${day(r.periodEnd)}` },
      { title: t("parentRound"), wrap: true, cell: (r) => (r.parentId ? byId[r.parentId]?.title ?? r.parentId : "") },
      { title: t("childRounds"), wrap: true, cell: (r) => rows.filter((x) => x.parentId === r.id).map((x) => x.organiser?.name).join("、") },
      { title: t("crossing"), cell: (r) => (r.inspectingCountyId ? `${office(r.inspectingCountyId)} → ${office(r.owningCountyId)}` : "") },
      { title: t("team"), wrap: true, cell: (r) => r.team.map((m) => `${m.name}（${label("TeamRole", m.role)}）`).join("、") },
      { title: t("recusals"), cell: (r) => r.recusals.map((x) => `${r.team.find((m) => m.inspectorId === x.inspectorId)?.name ?? ""}：${x.reason}`).join("；") },
      { title: t("cluesOpen"), cell: (r) => r.progress.cluesOpen },
      { title: t("cluesOverdue"), cell: (r) => r.progress.cluesOverdue },
    ], rows));
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  await load();
  return h("section", {}, h("h1", {}, t("rounds")), form, results);
}
