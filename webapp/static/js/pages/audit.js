// 审计: events recorded long after the date on their document (backdated), with who and when;
// each clue's own chain is checked on its page (线索详情).
import { gql } from "../api.js";
import { t } from "../i18n.js";
import { day, h, moment, table } from "../ui.js";

export async function render() {
  const rows = (await gql("{ backdatedEvents(first: 200) { streamId aggregate version event command occurredOn recordedAt } }")).backdatedEvents;
  return h("section", {}, h("h1", {}, t("audit")), h("h2", {}, t("backdated")),
    table([
      { title: t("event"), cell: (r) => `${r.aggregate} · ${r.event}` },
      { title: t("version"), cell: (r) => r.version },
      { title: t("occurredOn"), cell: (r) => day(r.occurredOn) },
      { title: t("recordedAt"), cell: (r) => moment(r.recordedAt) },
      { title: t("details"), cell: (r) => (r.aggregate === "Clue" ? h("a", { href: `#/clue/${r.streamId}` }, t("clue")) : "") },
    ], rows));
}
