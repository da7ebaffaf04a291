// 总览: one card per office the caller reads (the city and each county): rounds under way,
// clues open and overdue, the rectification and transfer completion rates; a chart of them.
import { gql } from "../api.js";
import { t } from "../i18n.js";
import { chart, h, percent } from "../ui.js";

const CARD = `query Card($id: ID!) {
  all: clueLedger(tenantId: $id, first: 1) { totalCount }
  done: clueLedger(tenantId: $id, status: CONCLUDED, first: 1) { totalCount }
  overdue: clueLedger(tenantId: $id, overdue: true, first: 1) { totalCount }
  statistics(tenantId: $id) { total { rectificationRate transferCompletionRate } }
}`;

export async function render(ctx) {
  const [figures, rounds, registered] = await Promise.all([
    Promise.all(ctx.offices.map((o) => gql(CARD, { id: o.id }).catch(() => null))),
    gql("{ rounds(first: 500) { edges { node { organiserId phase } } } }").then((d) => d.rounds.edges.map((e) => e.node)),
    gql("{ clueLedger(first: 500, sort: REGISTERED) { edges { node { registeredAt tenantId } } } }").then((d) => d.clueLedger.edges.map((e) => e.node)),
  ]);
  const cards = ctx.offices.map((office, i) => {
    const f = figures[i];
    const underway = rounds.filter((r) => r.organiserId === office.id && !["CLOSED", "PLANNED"].includes(r.phase)).length;
    const open = f ? f.all.totalCount - f.done.totalCount : "—";
    return { office, underway, open, overdue: f?.overdue.totalCount ?? "—", stats: f?.statistics.total };
  });
  const box = h("div", { class: "chart", role: "img", "aria-label": `${t("cluesOpen")} / ${t("cluesOverdue")}` });
  const months = [...new Set(registered.map((c) => c.registeredAt.slice(0, 7)))].sort();
  const overTime = h("div", { class: "chart", role: "img", "aria-label": t("registeredByMonth") });
  const section = h("section", {}, h("h1", {}, t("overview")),
    h("div", { class: "cards" }, cards.map((c) => h("article", { class: "card", "aria-label": c.office.name },
      h("h2", {}, c.office.name),
      h("dl", {},
        h("dt", {}, t("roundsUnderway")), h("dd", {}, c.underway),
        h("dt", {}, t("cluesOpen")), h("dd", {}, c.open),
        h("dt", {}, t("cluesOverdue")), h("dd", {}, c.overdue),
        h("dt", {}, t("rectificationRate")), h("dd", {}, percent(c.stats?.rectificationRate)),
        h("dt", {}, t("transferRate")), h("dd", {}, percent(c.stats?.transferCompletionRate)))))),
    box, overTime);
  requestAnimationFrame(() => chart(overTime, {
    title: { text: t("registeredByMonth"), left: 8, textStyle: { fontSize: 14 } }, tooltip: { trigger: "axis" },
    legend: { top: 28 }, grid: { top: 64 },
    xAxis: { type: "category", data: months }, yAxis: { type: "value", minInterval: 1 },
    series: ctx.offices.map((o) => ({ name: o.name, type: "line", data: months.map((m) =>
      registered.filter((c) => c.tenantId === o.id && c.registeredAt.startsWith(m)).length) })),
  }));
  requestAnimationFrame(() => chart(box, {
    tooltip: {}, legend: { data: [t("cluesOpen"), t("cluesOverdue")] },
    xAxis: { type: "category", data: cards.map((c) => c.office.name) }, yAxis: { type: "value" },
    series: [
      { name: t("cluesOpen"), type: "bar", data: cards.map((c) => c.open) },
      { name: t("cluesOverdue"), type: "bar", data: cards.map((c) => c.overdue), itemStyle: { color: "#b42318" } },
    ],
  }));
  return section;
}
