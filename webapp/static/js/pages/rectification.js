// 整改与统计: the rates of DOMAIN.md per office and per category, with a chart.
import { gql } from "../api.js";
import { t } from "../i18n.js";
import { chart, h, percent, table } from "../ui.js";

const FIGURES = "problemsFound tasksDue tasksVerified rectificationRate cluesTransferred cluesConcluded transferCompletionRate fundsRecovered satisfactionRate";
const QUERY = `query Stats($id: ID) { statistics(tenantId: $id) { total { ${FIGURES} } byCategory { category figures { ${FIGURES} } } } }`;

const columns = (first) => [
  first,
  { title: t("problemsFound"), cell: (r) => r.f.problemsFound },
  { title: t("tasksDue"), cell: (r) => r.f.tasksDue },
  { title: t("tasksVerified"), cell: (r) => r.f.tasksVerified },
  { title: t("rectificationRate"), cell: (r) => percent(r.f.rectificationRate) },
  { title: t("transferRate"), cell: (r) => percent(r.f.transferCompletionRate) },
  { title: t("satisfactionRate"), cell: (r) => percent(r.f.satisfactionRate) },
  { title: t("fundsRecovered"), cell: (r) => r.f.fundsRecovered },
];

export async function render(ctx) {
  const perOffice = await Promise.all(ctx.offices.map((o) => gql(QUERY, { id: o.id }).then((d) => ({ name: o.name, s: d.statistics })).catch(() => null)));
  const offices = perOffice.filter(Boolean);
  const categories = offices.flatMap((o) => o.s.byCategory.map((c) => ({ name: `${o.name} · ${c.category}`, f: c.figures })));
  const box = h("div", { class: "chart", role: "img", "aria-label": t("rectificationRate") });
  requestAnimationFrame(() => chart(box, {
    tooltip: {}, xAxis: { type: "category", data: offices.map((o) => o.name) },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ name: t("rectificationRate"), type: "bar", data: offices.map((o) => Math.round((o.s.total.rectificationRate ?? 0) * 1000) / 10) }],
  }));
  return h("section", {}, h("h1", {}, t("rectification")),
    h("p", {}, h("a", { class: "button", href: "/app/export/statistics.xlsx", download: "整改与统计.xlsx" }, t("exportXlsx"))),
    table(columns({ title: t("office"), cell: (r) => r.name }), offices.map((o) => ({ name: o.name, f: o.s.total }))),
    box,
    h("h2", {}, t("byCategory")),
    table(columns({ title: t("category"), cell: (r) => r.name }), categories));
}
