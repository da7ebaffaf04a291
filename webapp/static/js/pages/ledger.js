// 线索台账: every filter and sort of `clueLedger`, overdue rows highlighted, paging by cursor,
// and the export of the current filter (all its pages) to .xlsx or CSV.
import { gql } from "../api.js";
import { label, t, values } from "../i18n.js";
import { day, field, h, select, table, yesNo } from "../ui.js";

const PAGE = 20;
const QUERY = `query Ledger($first: Int, $after: String, $tenantId: ID, $status: ClueStatus,
  $priority: PriorityClass, $category: String, $overdue: Boolean, $supervisionStep: SupervisionStep,
  $sort: ClueSort, $descending: Boolean) {
  clueLedger(first: $first, after: $after, tenantId: $tenantId, status: $status, priority: $priority,
    category: $category, overdue: $overdue, supervisionStep: $supervisionStep, sort: $sort,
    descending: $descending) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id registeredAt tenant { name } unit { name } source category summary
      amountInvolved status priority dueDate overdue supervisionStep } }
  }
}`;
const SORTS = ["REGISTERED", "DUE_DATE", "AMOUNT_INVOLVED", "FUNDS_RECOVERED", "CATEGORY", "STATUS"];
const SORT_WORDS = { REGISTERED: "registeredAt", DUE_DATE: "dueDate", AMOUNT_INVOLVED: "amount",
  FUNDS_RECOVERED: "fundsRecovered", CATEGORY: "category", STATUS: "status" };

export async function render(ctx) {
  const controls = {
    tenantId: select(ctx.offices.map((o) => [o.id, o.name]), { blank: t("any") }),
    status: select(values("ClueStatus").map((v) => [v, label("ClueStatus", v)]), { blank: t("any") }),
    priority: select(values("PriorityClass").map((v) => [v, label("PriorityClass", v)]), { blank: t("any") }),
    category: h("input", { type: "search" }),
    overdue: select([["true", t("yes")], ["false", t("no")]], { blank: t("any") }),
    supervisionStep: select(values("SupervisionStep").map((v) => [v, label("SupervisionStep", v)]), { blank: t("any") }),
    sort: select(SORTS.map((s) => [s, t(SORT_WORDS[s])]), { value: "REGISTERED" }),
    descending: h("input", { type: "checkbox", checked: true }),
  };
  const words = { tenantId: "office", status: "status", priority: "priority", category: "category",
    overdue: "overdue", supervisionStep: "supervisionStep", sort: "sort", descending: "descending" };
  const xlsx = h("a", { class: "button", download: "线索台账.xlsx" }, t("exportXlsx"));
  const csv = h("a", { class: "button", download: "线索台账.csv" }, t("exportCsv"));
  const form = h("form", { class: "filters", role: "search", "aria-label": t("ledger") },
    Object.entries(controls).map(([k, c]) => field(t(words[k]), c, { name: k })),
    h("button", { class: "primary", type: "submit" }, t("apply")), xlsx, csv);
  const results = h("div", { "aria-live": "polite" });
  const cursors = [null];

  function filter() {
    const f = {};
    for (const [k, c] of Object.entries(controls)) {
      if (c.type === "checkbox") f[k] = c.checked;
      else if (c.value !== "") f[k] = k === "overdue" ? c.value === "true" : c.value;
    }
    return f;
  }

  async function load(page) {
    const f = filter();
    const exported = encodeURIComponent(JSON.stringify(f));
    xlsx.href = `/app/export/clue-ledger.xlsx?filters=${exported}`;
    csv.href = `/app/export/clue-ledger.csv?filters=${exported}`;
    const data = await gql(QUERY, { ...f, first: PAGE, after: cursors[page] });
    const ledger = data.clueLedger;
    cursors[page + 1] = ledger.pageInfo.endCursor;
    const rows = ledger.edges.map((e) => e.node);
    const columns = [
      { title: t("registeredAt"), cell: (r) => day(r.registeredAt) },
      { title: t("office"), cell: (r) => r.tenant?.name ?? "" },
      { title: t("unit"), cell: (r) => r.unit?.name ?? "" },
      { title: t("category"), cell: (r) => r.category },
      { title: t("summary"), wrap: true, cell: (r) => h("a", { href: `#/clue/${r.id}` }, r.summary) },
      { title: t("amount"), cell: (r) => r.amountInvolved ?? "" },
      { title: t("status"), cell: (r) => label("ClueStatus", r.status) },
      { title: t("priority"), cell: (r) => label("PriorityClass", r.priority) },
      { title: t("dueDate"), cell: (r) => day(r.dueDate) },
      { title: t("overdue"), cell: (r) => yesNo(r.overdue) },
      { title: t("supervisionStep"), cell: (r) => label("SupervisionStep", r.supervisionStep) },
    ];
    const pager = h("div", { class: "pager" },
      h("button", { type: "button", class: "secondary", disabled: page === 0, onclick: () => load(page - 1) }, t("previous")),
      h("span", {}, `${t("total")} ${ledger.totalCount} · ${page + 1}`),
      h("button", { type: "button", class: "secondary", disabled: !ledger.pageInfo.hasNextPage, onclick: () => load(page + 1) }, t("next")));
    results.replaceChildren(table(columns, rows, { rowClass: (r) => (r.overdue ? "overdue" : undefined) }), pager);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    cursors.length = 1;
    load(0).catch((error) => results.replaceChildren(h("p", { class: "notice bad", role: "alert" }, error.message)));
  });
  await load(0);
  return h("section", {}, h("h1", {}, t("ledger")), form, results);
}
